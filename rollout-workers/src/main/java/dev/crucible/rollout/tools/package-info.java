/**
 * The agent's actions, as in the Lingxi design: {@code view_directory}, {@code search_files},
 * {@code view_file}, {@code str_replace_editor}, {@code run_shell}, {@code run_tests} and
 * {@code submit}. Each has a JSON-schema description for the policy and answers with an observation
 * string; {@link dev.crucible.rollout.tools.ToolBox} dispatches calls, turns every agent-side failure
 * into an observation the agent can recover from, and counts calls by tool and status.
 */
package dev.crucible.rollout.tools;
