/** {@code crucible serve}: an OpenAI-compatible chat endpoint for a DJL checkpoint. */
package dev.crucible.jobs.serve;
