/** The Qwen2.5 chat template, context windows, and a checkpoint ready to chat. */
package dev.crucible.trainer.chat;
