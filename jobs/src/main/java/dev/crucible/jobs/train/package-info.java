/**
 * {@code crucible train sft|dpo}: the config, the trajectory tables turned into training sequences, and
 * the run on the driver (DJL has no distributed training; the tables may come from the whole cluster).
 */
package dev.crucible.jobs.train;
