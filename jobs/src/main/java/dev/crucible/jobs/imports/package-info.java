/** Other agents' trajectories imported as Crucible trajectory tables, for supervised fine-tuning. */
package dev.crucible.jobs.imports;
