/** {@code crucible report}: a run's tables as one self-contained HTML page, charts drawn as inline SVG. */
package dev.crucible.jobs.report;
