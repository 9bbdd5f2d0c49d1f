/**
 * The task factory: bugs proposed by mutating the syntax tree of a repository's modules
 * ({@code mutator.py}, run with the sandbox image's Python), kept only when the suite still collects,
 * no test hangs and at least one test fails; each kept bug becomes a SWE-bench-format task whose gold
 * patch restores the original code.
 */
package dev.crucible.rollout.tasks;
