/**
 * MRT's meta-controller: a small network of its own that reads features known before an episode starts
 * and gives a distribution over the modes, trained by policy gradient on reward minus a token cost.
 */
package dev.crucible.trainer.meta;
