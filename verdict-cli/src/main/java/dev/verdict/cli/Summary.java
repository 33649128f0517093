package dev.verdict.cli;

import dev.verdict.check.CheckResult;
import dev.verdict.check.CheckStatus;
import dev.verdict.cli.readout.Readout;
import dev.verdict.readout.Effect;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/** The few lines {@code analyze} prints on the terminal: the recommendation, its rule, the decision metric and the checks. */
final class Summary {
    private Summary() {
    }

    static String of(Readout r, Path out) {
        StringBuilder s = new StringBuilder();
        s.append("verdict: ").append(r.spec().name()).append('\n');
        s.append("recommendation: ").append(r.decision().recommendation().wireName().toUpperCase(Locale.ROOT))
                .append("  (rule ").append(r.decision().rule()).append(")\n");
        s.append("  ").append(r.decision().reason()).append('\n');
        Effect e = r.analysis().success();
        s.append(String.format(Locale.ROOT, "decision metric %s: %+.4g [%.4g, %.4g] (%s)%n", e.metric(), e.estimate(),
                e.ciLow(), e.ciHigh(), e.method()));
        Map<CheckStatus, Integer> counts = new EnumMap<>(CheckStatus.class);
        for (CheckResult c : r.checks()) {
            counts.merge(c.status(), 1, Integer::sum);
        }
        s.append(String.format(Locale.ROOT, "checks: %d pass, %d warn, %d fail, %d not evaluated%n",
                counts.getOrDefault(CheckStatus.PASS, 0), counts.getOrDefault(CheckStatus.WARN, 0),
                counts.getOrDefault(CheckStatus.FAIL, 0), counts.getOrDefault(CheckStatus.NOT_EVALUATED, 0)));
        r.checks().stream().filter(c -> c.status() == CheckStatus.FAIL || c.status() == CheckStatus.WARN)
                .forEach(c -> s.append("  ").append(c.status().wireName()).append(' ').append(c.name()).append(": ")
                        .append(c.summary()).append('\n'));
        s.append("readout: ").append(out.resolve("readout.md")).append(", ").append(out.resolve("readout.html")).append(", ")
                .append(out.resolve("readout.json")).append('\n');
        return s.toString();
    }
}
