/** Autoregressive generation: greedy, temperature and top-p sampling, stop texts, log-probs. */
package dev.crucible.trainer.generate;
