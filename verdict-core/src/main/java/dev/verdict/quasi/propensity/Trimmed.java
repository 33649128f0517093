package dev.verdict.quasi.propensity;

/**
 * Hajek ATE and ATT on the rows a {@link TrimRule} keeps, with the propensity of the full-sample fit.
 *
 * @param rule         the rule's name, e.g. "interval_0.1" or "crump_2009"
 * @param alpha        rows with propensity in {@code [alpha, 1 - alpha]} are kept (0 when the Crump rule keeps all)
 * @param kept         rows kept
 * @param keptTreated  treated rows kept
 * @param keptControl  control rows kept
 * @param ate          Hajek ATE on the kept rows (null when an arm is empty after trimming)
 * @param att          Hajek ATT on the kept rows (null when an arm is empty after trimming)
 * @param warning      the bias warning: what population the estimate now describes
 */
public record Trimmed(String rule, double alpha, int kept, int keptTreated, int keptControl, WeightedEffect ate,
                      WeightedEffect att, String warning) { }
