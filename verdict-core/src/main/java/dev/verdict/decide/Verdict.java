package dev.verdict.decide;

import java.util.List;
import java.util.Optional;

/**
 * What a rule concludes when it fires.
 *
 * @param recommendation  the recommendation
 * @param branch          machine name of the branch of the rule that fired, e.g. {@code lever_absent}
 * @param reason          one or two sentences with the numbers behind it
 * @param contingency     a contingency specific to this verdict (e.g. naming the winning segments); empty to
 *                        use the decision matrix's default
 * @param whatWouldChange concrete statements of the evidence that would change the recommendation
 */
public record Verdict(Recommendation recommendation, String branch, String reason, Optional<String> contingency,
                      List<String> whatWouldChange) {
    public Verdict {
        whatWouldChange = List.copyOf(whatWouldChange);
    }

    static Verdict of(Recommendation recommendation, String branch, String reason, List<String> whatWouldChange) {
        return new Verdict(recommendation, branch, reason, Optional.empty(), whatWouldChange);
    }
}
