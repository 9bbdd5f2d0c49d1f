/** A Qwen2 decoder written on DJL NDArrays, its Hugging Face parameter layout, the KV cache and attention masks. */
package dev.crucible.trainer.model;
