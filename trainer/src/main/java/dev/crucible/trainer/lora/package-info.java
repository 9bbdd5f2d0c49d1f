/** Low-rank adapters: training, merging and PEFT-compatible files. */
package dev.crucible.trainer.lora;
