/**
 * Reading YAML configuration files with every problem reported at once, each with its file, line
 * and dotted key, before any work starts.
 */
package dev.crucible.jobs.config;
