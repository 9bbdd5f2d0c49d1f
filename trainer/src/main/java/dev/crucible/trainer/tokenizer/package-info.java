/** The byte-level BPE trainer and the chat tokenizer on DJL's Hugging Face tokenizers. */
package dev.crucible.trainer.tokenizer;
