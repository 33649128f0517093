package dev.verdict.cli.readout;

import dev.verdict.check.CheckCategory;
import dev.verdict.check.CheckResult;
import dev.verdict.decide.Decision;
import dev.verdict.readout.Effect;
import dev.verdict.readout.SegmentEffects;

import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Writes readout.md in the framework's fixed order (FRAMEWORK.md section 8): the decision and its rule; identification
 * checks; guardrails; effect sizes; segments and unit economics; the contingency; what would change the decision; the
 * distance from the ideal experiment; then method notes and provenance. Numbers are printed with a fixed
 * locale-independent format, so the same readout gives the same bytes.
 */
public final class ReadoutMarkdown {
    private static final Set<CheckCategory> IDENTIFICATION = EnumSet.of(CheckCategory.DATA_QUALITY,
            CheckCategory.ASSIGNMENT_INTEGRITY, CheckCategory.IDENTIFICATION, CheckCategory.EXECUTION_FIDELITY,
            CheckCategory.BOUNDARY_COVERAGE);
    private static final Set<CheckCategory> SAFETY = EnumSet.of(CheckCategory.GUARDRAIL, CheckCategory.SPILLOVER,
            CheckCategory.ROLLBACK_TRIGGER);

    private ReadoutMarkdown() {
    }

    /** The readout as Markdown text. */
    public static String write(Readout r) {
        StringBuilder md = new StringBuilder();
        Decision d = r.decision();
        md.append("# ").append(r.spec().name()).append("\n\n");
        md.append("## Decision: **").append(label(d.recommendation().wireName())).append("**\n\n");
        md.append(d.reason()).append("\n\n");
        md.append("Rule that fired: `").append(d.rule()).append("`. Design: ").append(r.analysis().design())
                .append(r.spec().design().quasi() ? ", not randomized; unit of analysis: `" : ", unit of randomization "
                        + "and of the variance: `").append(r.analysis().unit()).append("`.\n\n");
        md.append("<details><summary>Decision trail (every rule, in order)</summary>\n\n");
        md.append("| rule | outcome |\n|---|---|\n");
        d.trail().forEach(s -> md.append("| `").append(s.rule()).append("` | ").append(cell(s.outcome())).append(" |\n"));
        md.append("\n</details>\n\n");

        md.append("## 1. Identification checks\n\n");
        checks(md, r.checks(), IDENTIFICATION);
        md.append("## 2. Guardrails\n\n");
        checks(md, r.checks(), SAFETY);
        List<Effect> guardrails = r.analysis().effects().stream().filter(e -> e.role().equals(Effect.ROLE_GUARDRAIL)).toList();
        if (!guardrails.isEmpty()) {
            effectTable(md, guardrails);
        }
        md.append("## 3. Effect on the decision metric\n\n");
        effectTable(md, r.analysis().effects().stream().filter(e -> e.role().equals(Effect.ROLE_SUCCESS)).toList());
        md.append("## 4. Segments and unit economics\n\n");
        if (r.analysis().segments().isEmpty()) {
            md.append("No segments declared.\n\n");
        }
        for (SegmentEffects s : r.analysis().segments()) {
            md.append("### Segment `").append(s.column()).append("`\n\n");
            md.append("Heterogeneity (effects differ across values): chi-square ").append(num(s.heterogeneityStatistic()))
                    .append(" on ").append(s.heterogeneityDf()).append(" df, p = ").append(num(s.heterogeneityPValue()))
                    .append(".\n\n");
            md.append("| value | control | treatment | effect | CI | p | p (Holm) | n control | n treatment |\n");
            md.append("|---|---|---|---|---|---|---|---|---|\n");
            for (int i = 0; i < s.effects().size(); i++) {
                Effect e = s.effects().get(i);
                md.append("| ").append(e.segment().map(Effect.Segment::value).orElse("")).append(" | ")
                        .append(num(e.control())).append(" | ").append(num(e.treatment())).append(" | ")
                        .append(num(e.estimate())).append(" | [").append(num(e.ciLow())).append(", ")
                        .append(num(e.ciHigh())).append("] | ").append(num(e.pValue())).append(" | ")
                        .append(num(s.adjustedP().get(i))).append(" | ").append(e.nControl()).append(" | ")
                        .append(e.nTreatment()).append(" |\n");
            }
            md.append('\n');
        }
        List<Effect> economics = r.analysis().effects().stream().filter(e -> e.role().equals(Effect.ROLE_ECONOMICS)).toList();
        md.append("### Unit economics\n\n");
        checks(md, r.checks(), EnumSet.of(CheckCategory.ECONOMIC));
        if (!economics.isEmpty()) {
            effectTable(md, economics);
        }
        md.append("## 5. Contingency\n\n").append(d.contingency()).append("\n\n");
        md.append("## 6. What would change this decision\n\n");
        d.whatWouldChange().forEach(w -> md.append("- ").append(w).append('\n'));
        md.append('\n');
        md.append("## 7. Distance from the ideal experiment\n\n").append(r.ideal().description()).append("\n\n");
        if (r.ideal().gaps().isEmpty()) {
            md.append("This design and log have no known gap from it.\n\n");
        } else {
            r.ideal().gaps().forEach(g -> md.append("- ").append(g).append('\n'));
            md.append('\n');
        }
        md.append("## Methods\n\n");
        md.append("Two-sided ").append(num(100 * (1 - r.spec().alpha()))).append("% intervals (alpha = ")
                .append(num(r.spec().alpha())).append(").\n\n");
        r.analysis().notes().forEach(n -> md.append("- ").append(n).append('\n'));
        md.append('\n');
        md.append("## Provenance\n\n");
        Provenance p = r.provenance();
        md.append("- tool: ").append(p.tool()).append("\n- engine: ").append(p.engine()).append(' ')
                .append(p.engineVersion()).append("\n- seed: ").append(p.seed()).append('\n');
        p.files().forEach(f -> md.append("- data: `").append(f.path()).append("` (").append(f.bytes()).append(" bytes, ")
                .append(f.fingerprint()).append(")\n"));
        return md.toString();
    }

    private static void checks(StringBuilder md, List<CheckResult> checks, Set<CheckCategory> categories) {
        List<CheckResult> list = checks.stream().filter(c -> categories.contains(c.category())).toList();
        if (list.isEmpty()) {
            md.append("No checks in this group.\n\n");
            return;
        }
        md.append("| check | status | finding |\n|---|---|---|\n");
        list.forEach(c -> md.append("| `").append(c.name()).append("` | ").append(status(c)).append(" | ")
                .append(cell(c.summary())).append(" |\n"));
        md.append('\n');
    }

    private static void effectTable(StringBuilder md, List<Effect> effects) {
        md.append("| metric | kind | control | treatment | effect | relative | CI | p | method | n control | n treatment |\n");
        md.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Effect e : effects) {
            md.append("| ").append(e.metric()).append(" | ").append(e.kind()).append(" | ").append(num(e.control()))
                    .append(" | ").append(num(e.treatment())).append(" | ").append(num(e.estimate())).append(" | ")
                    .append(Double.isFinite(e.relative()) ? num(100 * e.relative()) + "%" : "n/a").append(" | [")
                    .append(num(e.ciLow())).append(", ").append(num(e.ciHigh())).append("] | ").append(num(e.pValue()))
                    .append(" | ").append(e.method()).append(" | ").append(e.nControl()).append(" | ")
                    .append(e.nTreatment()).append(" |\n");
        }
        md.append('\n');
    }

    private static String status(CheckResult c) {
        return switch (c.status()) {
            case PASS -> "pass";
            case WARN -> "**warn**";
            case FAIL -> "**FAIL**";
            case NOT_EVALUATED -> "not evaluated";
        };
    }

    private static String label(String wire) {
        return wire.replace('_', ' ').toUpperCase(Locale.ROOT);
    }

    private static String cell(String s) {
        return s.replace("|", "\\|").replace("\n", " ");
    }

    /** Four significant digits, plain notation where it reads well; "n/a" for NaN. */
    static String num(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        if (v == 0) {
            return "0";
        }
        double a = Math.abs(v);
        if (a >= 1e-4 && a < 1e7) {
            String s = new java.math.BigDecimal(v).round(new java.math.MathContext(4)).stripTrailingZeros().toPlainString();
            return s;
        }
        return String.format(Locale.ROOT, "%.3e", v);
    }
}
