package dev.verdict.check;

import dev.verdict.reduce.UnitKey;

import java.time.Instant;
import java.util.Locale;

/**
 * What a switchback analyzed: its block length, washout and origin, the blocks per arm, and the rows left out
 * (washout, before the origin, no time). It PASSes whenever blocks were formed, and points to the checks that test
 * what it only reports: carryover past the washout ({@code carryover}) and inference across blocks under the actual
 * schedule ({@code switchback_inference}). (A block carrying both arms is
 * reported by {@link AssignmentIntegrityCheck} as a unit seen in both arms.)
 */
public final class TimeBlocksCheck {
    /** Check name in the readout. */
    public static final String NAME = "time_blocks";

    private TimeBlocksCheck() {
    }

    /**
     * The check.
     *
     * @param key        the time-block key of the reduction
     * @param byName     canonical name of the per-schedule column, if any (for the text)
     * @param control    blocks in the control arm
     * @param treatment  blocks in the treatment arm
     * @param analyzed   rows the reductions used (all labels)
     * @param excluded   rows the key left out
     */
    public static CheckResult of(UnitKey.TimeBlocks key, java.util.Optional<String> byName, long control, long treatment,
                                 long analyzed, UnitKey.Exclusions excluded) {
        CheckResult.Evidence ev = CheckResult.evidenceBuilder()
                .put("block_minutes", key.blockSeconds() / 60.0)
                .put("washout_minutes", key.washoutSeconds() / 60.0)
                .put("origin", Instant.ofEpochSecond(key.origin()).toString())
                .put("by", byName.orElse(null))
                .put("blocks_control", control).put("blocks_treatment", treatment)
                .put("rows_analyzed", analyzed)
                .put("rows_excluded_washout", excluded.washout())
                .put("rows_excluded_before_origin", excluded.beforeOrigin())
                .put("rows_excluded_missing_time", excluded.missingTime());
        String summary = String.format(Locale.ROOT, "Switchback on %s-minute blocks%s from %s with a %s-minute washout: "
                        + "%d control and %d treatment blocks; %d washout rows, %d rows before the origin and %d rows "
                        + "without a time excluded (%d analyzed). Carryover past the washout is tested by the carryover "
                        + "check, and the block-level inference by randomization over the schedule (switchback_inference).", minutes(key.blockSeconds()),
                byName.map(b -> " per " + b).orElse(""), Instant.ofEpochSecond(key.origin()),
                minutes(key.washoutSeconds()), control, treatment, excluded.washout(), excluded.beforeOrigin(),
                excluded.missingTime(), analyzed);
        return new CheckResult(NAME, CheckCategory.IDENTIFICATION, CheckStatus.PASS, summary, ev.map());
    }

    private static String minutes(long seconds) {
        return seconds % 60 == 0 ? Long.toString(seconds / 60) : String.format(Locale.ROOT, "%.2f", seconds / 60.0);
    }
}
