/** Training: packing, losses, the SFT and DPO objectives, the optimizer loop, checkpoints and metrics. */
package dev.crucible.trainer.train;
