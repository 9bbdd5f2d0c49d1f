package dev.crucible.rollout.tasks;

/**
 * One bug the mutator can plant.
 *
 * @param id its number in the mutator's fixed order
 * @param kind {@code flip_comparison}, {@code off_by_one}, {@code negate_condition},
 *     {@code remove_statement}, {@code swap_arguments}, {@code wrong_return},
 *     {@code flip_boolean_operator} or {@code changed_default}
 * @param file module path relative to the repository root
 * @param function the enclosing function
 * @param line the first line of the mutated code
 */
public record MutationCandidate(int id, String kind, String file, String function, int line)
    implements java.io.Serializable {}
