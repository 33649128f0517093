package dev.verdict.cli.spec;

import dev.verdict.spec.CanonicalColumns;
import dev.verdict.spec.ExperimentSpec.Design;
import dev.verdict.spec.Rerandomization;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * The {@code rerandomization} block of a cluster RCT whose assignment was re-drawn until its clusters' pre-period
 * covariates balanced: {@code rerandomization: {covariates: [queue_depth, latency_ms], criterion: max_std_diff,
 * threshold: 0.25}}. Only with {@code design: cluster_rct} (not with a saturation block) and {@code pre_period: true};
 * every key is required. {@code threshold} is the largest |standardized difference| (> 0) for {@code max_std_diff} and
 * the acceptance probability in (0, 1) for {@code mahalanobis}.
 */
final class RerandomizationBlock {
    static final List<String> KEYS = List.of("covariates", "criterion", "threshold");
    private static final String EXAMPLE = "{covariates: [queue_depth, latency_ms], criterion: max_std_diff, threshold: 0.25}";

    private RerandomizationBlock() {
    }

    static Optional<Rerandomization> parse(Section top, Design design, boolean prePeriod, boolean saturation,
                                           String unit, Function<Value, String> column) {
        Optional<Value> v = top.get("rerandomization");
        if (v.isEmpty()) {
            return Optional.empty();
        }
        Value block = v.get();
        if (design != Design.CLUSTER_RCT) {
            throw block.bad("re-randomization declares how a cluster RCT's clusters were drawn (design here is "
                    + design.name().toLowerCase(Locale.ROOT) + "); set design: cluster_rct or remove it");
        }
        if (saturation) {
            throw block.bad("re-randomization of a saturation design's first stage is not analyzed by this version; "
                    + "remove the rerandomization block or the saturation block");
        }
        Section s = block.section(KEYS, EXAMPLE);
        if (!prePeriod) {
            throw block.bad("re-randomization balances the clusters' pre-period means, so the log must carry a "
                    + "pre-period: add pre_period: true (with start) or remove the rerandomization block");
        }
        Value cv = s.require("covariates", "name the pre-period columns the draw was balanced on, e.g. covariates: "
                + "[queue_depth, latency_ms]");
        List<String> covariates = new ArrayList<>();
        List<Value> items = cv.items("covariates: [queue_depth, latency_ms]");
        if (items.isEmpty()) {
            throw cv.bad("give at least one covariate column, e.g. covariates: [queue_depth]");
        }
        List<String> forbidden = List.of(CanonicalColumns.ARM, CanonicalColumns.EXECUTED_ARM,
                CanonicalColumns.REQUEST_ID, CanonicalColumns.TS, unit);
        for (Value item : items) {
            String c = column.apply(item);
            if (forbidden.contains(c)) {
                throw item.bad("'" + c + "' is the arm, an id, the time or the cluster itself, not a covariate; name a "
                        + "numeric column measured in the pre-period, e.g. queue_depth");
            }
            if (covariates.contains(c)) {
                throw item.bad("'" + c + "' is listed twice (first at " + cv.path() + "[" + covariates.indexOf(c)
                        + "]); list each covariate once");
            }
            covariates.add(c);
        }
        Value crit = s.require("criterion", "say when a draw was accepted: criterion: max_std_diff | mahalanobis");
        Rerandomization.Criterion criterion = crit.oneOf(Rerandomization.Criterion.class,
                EnumSet.allOf(Rerandomization.Criterion.class));
        boolean maxStd = criterion == Rerandomization.Criterion.MAX_STD_DIFF;
        String allowed = maxStd
                ? "the largest |standardized difference| a draw may have on any covariate, a number > 0, e.g. "
                + "threshold: 0.25"
                : "the acceptance probability p in (0, 1): a draw is accepted when its Mahalanobis distance is at most "
                + "the chi-square quantile of p, so about a share p of draws pass, e.g. threshold: 0.1";
        Value tv = s.require("threshold", "give " + allowed);
        double threshold = tv.number(allowed);
        if (maxStd ? !(threshold > 0) : !(threshold > 0 && threshold < 1)) {
            throw tv.bad("with criterion " + criterion.wireName() + " expected " + allowed);
        }
        return Optional.of(new Rerandomization(covariates, criterion, threshold));
    }
}
