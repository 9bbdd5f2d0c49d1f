/** Safetensors files and sharded Hugging Face checkpoint directories. */
package dev.crucible.trainer.io;
