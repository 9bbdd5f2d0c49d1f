/** AdamW with savable moments, the learning-rate schedule and global-norm clipping. */
package dev.crucible.trainer.optim;
