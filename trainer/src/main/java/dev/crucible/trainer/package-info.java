/**
 * The policy model on Deep Java Library and its training: {@code model} (a Qwen2 decoder with Hugging
 * Face parameter names), {@code io} (safetensors checkpoints), {@code tokenizer} and {@code chat} (byte-level
 * BPE, the Qwen2.5 chat template, context windows), {@code generate} (sampling with a KV cache),
 * {@code optim}, {@code lora} and {@code train} (SFT and DPO objectives, the loop, checkpoints, metrics).
 */
package dev.crucible.trainer;
