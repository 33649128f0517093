package dev.verdict.cli.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.verdict.InputException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad specs: each is refused with exit code 2 and a one-line message that names the key path, quotes
 * the bad value as written and says what is allowed.
 */
class BadSpecTest {
    static final Path SPEC = Path.of("spec.yaml");
    static final String BASE = """
            name: t
            design: request_rct
            data: requests.parquet
            success: {metric: completed, kind: proportion, min_effect: 0.005}
            """;

    /** A valid re-randomization block and the cluster RCT keys it needs, for the rerandomization cases. */
    static final String RERAND = "rerandomization: {covariates: [queue_depth, latency_ms], criterion: max_std_diff, "
            + "threshold: 0.25}";
    static final String CLUSTER_PRE = "start: 2026-11-02\npre_period: true\n";

    /** A bad spec: the YAML, the key path the message must name (null: none) and texts it must contain. */
    record Case(String id, String yaml, String key, List<String> contains) {
        @Override
        public String toString() {
            return id;
        }
    }

    static Case bad(String id, String extra, String key, String... contains) {
        return new Case(id, BASE + extra, key, List.of(contains));
    }

    static Case replace(String id, String from, String to, String key, String... contains) {
        if (!BASE.contains(from)) {
            throw new IllegalArgumentException(from);
        }
        return new Case(id, BASE.replace(from, to), key, List.of(contains));
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                // YAML and file structure
                new Case("unparsable YAML", "name: t\ndesign: [request_rct\ndata: x\n", null,
                        List.of("spec.yaml:3:5: not valid YAML at line 3, column 5", "expected ',' or ']'")),
                new Case("tab indentation", "name: t\nsuccess:\n\tmetric: x\n", null,
                        List.of("not valid YAML at line 3, column 1", "TAB")),
                new Case("empty file", "# only a comment\n", null, List.of("spec file is empty")),
                new Case("top level is a list", "- name: t\n", null, List.of("got a list", "YAML map of keys")),
                bad("duplicate YAML key", "alpha: 0.05\nalpha: 0.1\n", null, "key 'alpha' appears twice",
                        "first at line 5"),
                bad("YAML alias", "contingency: &c roll back\nguardrails: *c\n", null, "alias '*c'"),
                bad("two YAML documents", "---\nname: u\n", null, "more than one YAML document"),
                // unknown keys
                bad("unknown top-level key", "sucess: {metric: completed}\n", "sucess", "unknown key",
                        "did you mean 'success'?"),
                bad("unknown key hint for cost", "cost: {metric: gpu_seconds}\n", "cost",
                        "did you mean 'economics'?"),
                replace("unknown key in success", "min_effect: 0.005", "min_efect: 0.005", "success.min_efect",
                        "did you mean 'min_effect'?"),
                bad("min_effect in a guardrail", "guardrails: [{metric: error, min_effect: 0.01}]\n",
                        "guardrails[0].min_effect", "did you mean 'max_harm'?"),
                bad("unknown canonical column", "columns: {time: event_time}\n", "columns.time",
                        "did you mean 'ts'?"),
                bad("misspelt canonical column", "columns: {latency: lat_ms}\n", "columns.latency",
                        "did you mean 'latency_ms'?"),
                // required keys and types
                replace("missing name", "name: t\n", "", "name", "is missing"),
                replace("name is a boolean", "name: t", "name: yes", "name", "got yes", "quote it"),
                replace("missing success", "success: {metric: completed, kind: proportion, min_effect: 0.005}\n",
                        "", "success", "is missing"),
                replace("success is a list", "success: {metric: completed, kind: proportion, min_effect: 0.005}",
                        "success: [completed]", "success", "got a list [\"completed\"]", "expected a map"),
                bad("guardrails is a map", "guardrails: {metric: error, max_harm: 0.01}\n", "guardrails",
                        "got a map {metric: \"error\", max_harm: 0.01}", "expected a list"),
                bad("key with no value", "alpha:\n", "alpha", "has no value"),
                // decision and design
                bad("unknown decision", "decision: ship\n", "decision", "got \"ship\"", "ship_broadly"),
                replace("propensity without its block", "design: request_rct", "design: propensity", "propensity",
                        "is missing", "covariates"),
                replace("propensity trim out of range", "design: request_rct",
                        "design: propensity\npropensity: {covariates: [tier], trim: 0.6}", "propensity.trim", "(0, 0.5)"),
                replace("rdd without its block", "design: request_rct", "design: rdd", "rdd", "is missing",
                        "running variable and cutoff"),
                replace("rdd without a cutoff", "design: request_rct", "design: rdd\nrdd: {running: context_tokens}",
                        "rdd.cutoff", "is missing"),
                replace("rdd running on the arm", "design: request_rct", "design: rdd\nrdd: {running: arm, cutoff: 1}",
                        "rdd.running", "is the arm, an id or the time"),
                replace("did block on another design", "design: request_rct", "design: request_rct\ndid: {period: day}",
                        "did", "belongs to design: did"),
                replace("did period misspelt", "design: request_rct", "design: did\nunit: cluster\ndid: {period: daily}",
                        "did.period", "got \"daily\""),
                replace("synthetic control on users", "design: request_rct",
                        "design: synthetic_control\nunit: user_id", "unit", "compares units over time"),
                replace("misspelt design", "design: request_rct", "design: request-rct", "design",
                        "got \"request-rct\"", "did you mean 'request_rct'?"),
                replace("missing design", "design: request_rct\n", "", "design", "is missing"),
                // data and format
                replace("empty data list", "data: requests.parquet", "data: []", "data", "got a list []",
                        "at least one"),
                replace("home-relative data", "data: requests.parquet", "data: ~/requests.parquet", "data",
                        "got \"~/requests.parquet\"", "not expanded"),
                replace("web URL data", "data: requests.parquet", "data: https://example.com/requests.parquet", "data",
                        "got \"https://example.com/requests.parquet\"", "web URLs are not read"),
                replace("data listed twice", "data: requests.parquet", "data: [a.parquet, ./a.parquet]", "data[1]",
                        "got \"./a.parquet\"", "listed twice"),
                replace("mixed formats under auto", "data: requests.parquet", "data: [a.parquet, b.csv]",
                        "data[1]", "got \"b.csv\"", "reads as csv"),
                bad("format contradicts the file name", "format: csv\n", "data", "got \"requests.parquet\"",
                        "format is csv"),
                bad("unknown format", "format: json\n", "format", "got \"json\"", "auto | csv | parquet"),
                // columns and identifiers
                bad("SQL injection in a column name", "columns: {arm: 'x\"; DROP TABLE t; --'}\n", "columns.arm",
                        "x\"; DROP TABLE t; --", "plain identifier"),
                replace("SQL injection in a metric", "metric: completed", "metric: \"completed) OR 1=1 --\"",
                        "success.metric", "completed) OR 1=1 --", "plain identifier"),
                bad("SQL injection in a segment", "segments: [\"tier; DROP TABLE t\"]\n", "segments[0]",
                        "tier; DROP TABLE t", "plain identifier"),
                bad("column name with a newline", "columns: {arm: \"a\\nb\"}\n", "columns.arm", "\"a\\nb\""),
                bad("column name too long", "columns: {arm: " + "a".repeat(129) + "}\n", "columns.arm",
                        "a".repeat(129), "at most 128"),
                bad("two canonical columns read one log column", "columns: {arm: workload}\n", "columns.arm",
                        "got \"workload\"", "'arm' and 'workload' would both read log column 'workload'"),
                bad("metric named by the log's name of a remapped column", "columns: {completed: done}\n"
                        + "guardrails: [{metric: done, max_harm: 0.01}]\n", "guardrails[0].metric", "got \"done\"",
                        "refer to it as completed"),
                // unit
                bad("user unit for a request RCT", "unit: user_id\n", "unit", "got \"user_id\"",
                        "a request RCT randomizes requests"),
                replace("cluster unit for a user RCT", "design: request_rct", "design: user_rct\nunit: cluster",
                        "unit", "got \"cluster\"", "user_id | workspace_id"),
                replace("user unit for a cluster RCT", "design: request_rct", "design: cluster_rct\nunit: user_id",
                        "unit", "got \"user_id\"", "cluster | region"),
                replace("unit for a switchback", "design: request_rct", "design: switchback\nunit: cluster\n"
                        + "start: 2026-11-02\nswitchback: {block_minutes: 60}", "unit", "got \"cluster\"",
                        "randomizes time blocks"),
                // saturation
                replace("saturation block for a request RCT", "design: request_rct", "design: request_rct\n"
                        + "saturation: {levels: [0, 0.5]}", "saturation", "second stage of a cluster RCT",
                        "design: cluster_rct"),
                replace("saturation without levels", "design: request_rct", "design: cluster_rct\n"
                        + "saturation: {shares: [0.5, 0.5]}", "saturation.levels", "is missing", "levels: [0, 0.5, 1]"),
                replace("saturation level above 1", "design: request_rct", "design: cluster_rct\n"
                        + "saturation: {levels: [0, 1.5]}", "saturation.levels[1]", "got 1.5", "in [0, 1]"),
                replace("saturation levels without 0", "design: request_rct", "design: cluster_rct\n"
                        + "saturation: {levels: [0.5, 1]}", "saturation.levels", "pure-control clusters", "start the levels with 0"),
                replace("saturation with level 0 only", "design: request_rct", "design: cluster_rct\n"
                        + "saturation: {levels: [0]}", "saturation.levels", "at least one positive level"),
                replace("saturation levels not increasing", "design: request_rct", "design: cluster_rct\n"
                        + "saturation: {levels: [0, 1, 0.5]}", "saturation.levels[2]", "got 0.5", "increasing"),
                replace("saturation shares not summing to 1", "design: request_rct", "design: cluster_rct\n"
                        + "saturation: {levels: [0, 0.5, 1], shares: [0.5, 0.3, 0.3]}", "saturation.shares",
                        "must sum to 1"),
                replace("saturation shares of the wrong length", "design: request_rct", "design: cluster_rct\n"
                        + "saturation: {levels: [0, 1], shares: [0.4, 0.3, 0.3]}", "saturation.shares",
                        "one share of clusters per level"),
                replace("saturation unknown key", "design: request_rct", "design: cluster_rct\n"
                        + "saturation: {levels: [0, 1], level: 0.5}", "saturation.level", "levels"),
                // rerandomization
                replace("rerandomization for a request RCT", "design: request_rct", "design: request_rct\n"
                        + "start: 2026-11-02\npre_period: true\n" + RERAND, "rerandomization",
                        "how a cluster RCT's clusters were drawn", "design: cluster_rct"),
                replace("rerandomization without a pre-period", "design: request_rct", "design: cluster_rct\n"
                        + "start: 2026-11-02\n" + RERAND, "rerandomization", "got a map",
                        "add pre_period: true"),
                replace("rerandomization with a saturation block", "design: request_rct", "design: cluster_rct\n"
                        + CLUSTER_PRE + "saturation: {levels: [0, 1]}\n" + RERAND, "rerandomization",
                        "saturation design's first stage"),
                replace("rerandomization without covariates", "design: request_rct", "design: cluster_rct\n"
                        + CLUSTER_PRE + "rerandomization: {criterion: max_std_diff, threshold: 0.25}", "rerandomization"
                        + ".covariates", "is missing", "covariates: [queue_depth, latency_ms]"),
                replace("rerandomization with an empty covariate list", "design: request_rct", "design: cluster_rct\n"
                        + CLUSTER_PRE + RERAND.replace("[queue_depth, latency_ms]", "[]"), "rerandomization.covariates",
                        "got a list []", "at least one covariate"),
                replace("rerandomization covariate listed twice", "design: request_rct", "design: cluster_rct\n"
                        + CLUSTER_PRE + RERAND.replace("latency_ms]", "queue_depth]"),
                        "rerandomization.covariates[1]", "got \"queue_depth\"", "listed twice"),
                replace("rerandomization on the arm", "design: request_rct", "design: cluster_rct\n"
                        + CLUSTER_PRE + RERAND.replace("[queue_depth", "[arm"), "rerandomization.covariates[0]",
                        "got \"arm\"", "not a covariate"),
                replace("rerandomization covariate not an identifier", "design: request_rct", "design: cluster_rct\n"
                        + CLUSTER_PRE + RERAND.replace("[queue_depth", "[\"queue depth\""),
                        "rerandomization.covariates[0]", "plain identifier"),
                replace("unknown rerandomization criterion", "design: request_rct", "design: cluster_rct\n"
                        + CLUSTER_PRE + RERAND.replace("max_std_diff", "max_std"), "rerandomization.criterion",
                        "got \"max_std\"", "max_std_diff | mahalanobis", "did you mean 'max_std_diff'?"),
                replace("rerandomization without a threshold", "design: request_rct", "design: cluster_rct\n"
                        + CLUSTER_PRE + RERAND.replace(", threshold: 0.25", ""), "rerandomization.threshold",
                        "is missing", "largest |standardized difference|"),
                replace("zero max_std_diff threshold", "design: request_rct", "design: cluster_rct\n"
                        + CLUSTER_PRE + RERAND.replace("0.25", "0"), "rerandomization.threshold", "got 0",
                        "a number > 0"),
                replace("mahalanobis acceptance probability of 1.5", "design: request_rct", "design: cluster_rct\n"
                        + CLUSTER_PRE + RERAND.replace("max_std_diff", "mahalanobis").replace("0.25", "1.5"),
                        "rerandomization.threshold", "got 1.5", "acceptance probability p in (0, 1)"),
                replace("rerandomization threshold as text", "design: request_rct", "design: cluster_rct\n"
                        + CLUSTER_PRE + RERAND.replace("0.25", "\"0.25\""), "rerandomization.threshold",
                        "got \"0.25\"", "remove the quotes"),
                replace("misspelt rerandomization key", "design: request_rct", "design: cluster_rct\n"
                        + CLUSTER_PRE + RERAND.replace("covariates:", "covariate:"), "rerandomization.covariate",
                        "did you mean 'covariates'?"),
                // switchback
                replace("switchback without its block", "design: request_rct", "design: switchback", "switchback",
                        "is missing", "block_minutes: 60"),
                replace("switchback block for a request RCT", "design: request_rct", "design: request_rct\n"
                        + "switchback: {block_minutes: 60}", "switchback", "only applies to design: switchback"),
                replace("zero block length", "design: request_rct", "design: switchback\nstart: 2026-11-02\n"
                        + "switchback: {block_minutes: 0}", "switchback.block_minutes", "got 0", "> 0"),
                replace("fractional block length", "design: request_rct", "design: switchback\nstart: 2026-11-02\n"
                        + "switchback: {block_minutes: 7.5}", "switchback.block_minutes", "got 7.5", "whole number"),
                replace("washout as long as the block", "design: request_rct", "design: switchback\n"
                        + "start: 2026-11-02\nswitchback: {block_minutes: 60, washout_minutes: 60}",
                        "switchback.washout_minutes", "got 60", "[0, 60)"),
                replace("negative washout", "design: request_rct", "design: switchback\nstart: 2026-11-02\n"
                        + "switchback: {block_minutes: 60, washout_minutes: -5}", "switchback.washout_minutes",
                        "got -5", "[0, 60)"),
                replace("unknown switchback schedule", "design: request_rct", "design: switchback\nstart: 2026-11-02\n"
                        + "switchback: {block_minutes: 60, schedule: daily}", "switchback.schedule", "got \"daily\"",
                        "complete | bernoulli | within_day | minimax_regret"),
                replace("negative carryover order", "design: request_rct", "design: switchback\nstart: 2026-11-02\n"
                        + "switchback: {block_minutes: 60, carryover_order: -1}", "switchback.carryover_order", "got -1",
                        "[0, 1000]"),
                replace("minimax-regret schedule without its carryover order", "design: request_rct",
                        "design: switchback\nstart: 2026-11-02\nswitchback: {block_minutes: 60, schedule: minimax_regret}",
                        "switchback.carryover_order", "is missing", "carryover_order: 1"),
                replace("switchback without an origin", "design: request_rct", "design: switchback\n"
                        + "switchback: {block_minutes: 60, washout_minutes: 10}", "switchback.origin", "is missing",
                        "or the spec's start"),
                replace("switchback origin without a zone", "design: request_rct", "design: switchback\n"
                        + "switchback: {block_minutes: 60, origin: \"2026-11-02T00:00:00\"}", "switchback.origin",
                        "got \"2026-11-02T00:00:00\"", "no zone"),
                replace("misspelt switchback key", "design: request_rct", "design: switchback\nstart: 2026-11-02\n"
                        + "switchback: {block_minute: 60}", "switchback.block_minute", "did you mean 'block_minutes'?"),
                replace("SQL injection in switchback.by", "design: request_rct", "design: switchback\n"
                        + "start: 2026-11-02\nswitchback: {block_minutes: 60, by: \"region; DROP TABLE t\"}",
                        "switchback.by", "plain identifier"),
                // arms and allocation
                bad("equal arm labels", "arms: {control: a, treatment: a}\n", "arms.treatment", "got \"a\"",
                        "must differ"),
                bad("arm label with a trailing blank", "arms: {control: \"a \", treatment: b}\n", "arms.control",
                        "got \"a \"", "trailing blanks"),
                bad("missing treatment label", "arms: {control: a}\n", "arms.treatment", "is missing"),
                bad("allocation not summing to 1", "allocation: {control: 0.5, treatment: 0.6}\n", "allocation",
                        "control 0.5 + treatment 0.6 = 1.1", "must sum to 1"),
                bad("allocation share of 1", "allocation: {control: 1, treatment: 0}\n", "allocation.control",
                        "got 1", "strictly between 0 and 1"),
                bad("allocation as text", "allocation: {control: \"0.5\", treatment: 0.5}\n", "allocation.control",
                        "got \"0.5\"", "remove the quotes"),
                // start
                bad("impossible start date", "start: 2026-13-45\n", "start", "got \"2026-13-45\"", "ISO-8601"),
                bad("start without a zone", "start: 2026-11-02T00:00:00\n", "start", "got \"2026-11-02T00:00:00\"",
                        "append Z"),
                bad("start as a number", "start: 20261102\n", "start", "got 20261102", "expected text"),
                // metrics
                replace("ratio without denominator", "kind: proportion", "kind: ratio", "success.denominator",
                        "is missing", "kind ratio"),
                replace("denominator without ratio", "min_effect: 0.005", "min_effect: 0.005, denominator: tokens_in",
                        "success.denominator", "got \"tokens_in\"", "only applies to kind ratio"),
                replace("ratio of a column to itself", "kind: proportion", "kind: ratio, denominator: completed",
                        "success.denominator", "got \"completed\"", "must differ from the metric"),
                replace("covariate on a quantile", "kind: proportion", "kind: p99, covariate: pre_latency_ms",
                        "success.covariate", "got \"pre_latency_ms\"", "mean or proportion only"),
                replace("covariate equal to the outcome", "min_effect: 0.005", "covariate: completed",
                        "success.covariate", "got \"completed\"", "pre-period"),
                replace("unknown kind", "kind: proportion", "kind: P99", "success.kind", "got \"P99\"",
                        "did you mean 'p99'?"),
                replace("unknown direction", "kind: proportion", "kind: proportion, direction: up",
                        "success.direction", "got \"up\"", "increase | decrease"),
                replace("bad min_effect text", "min_effect: 0.005", "min_effect: five%", "success.min_effect",
                        "got \"five%\"", "percentage of the control value"),
                replace("negative min_effect", "min_effect: 0.005", "min_effect: -0.01", "success.min_effect",
                        "got -0.01", "non-negative"),
                replace("negative percentage min_effect", "min_effect: 0.005", "min_effect: -5%",
                        "success.min_effect", "got \"-5%\"", "non-negative"),
                replace("infinite min_effect", "min_effect: 0.005", "min_effect: .inf", "success.min_effect",
                        "got .inf", "finite"),
                replace("quoted number min_effect", "min_effect: 0.005", "min_effect: \"0.005\"",
                        "success.min_effect", "got \"0.005\"", "remove the quotes"),
                bad("guardrail without max_harm", "guardrails:\n  - {metric: error, max_harm: 0.01}\n"
                        + "  - {metric: latency_ms, kind: p99}\n", "guardrails[1].max_harm", "is missing"),
                bad("negative max_harm", "guardrails:\n  - {metric: error, max_harm: 0.01}\n"
                        + "  - {metric: latency_ms, kind: p99, max_harm: -1}\n", "guardrails[1].max_harm", "got -1",
                        "non-negative"),
                bad("duplicate guardrail", "guardrails:\n  - {metric: error, max_harm: 0.01}\n"
                        + "  - {metric: error, max_harm: 0.02}\n", "guardrails[1]", "duplicates guardrails[0]",
                        "error"),
                // economics
                bad("economics without cost or value", "economics: {gpu: gpu_seconds}\n", "economics",
                        "neither cost nor value"),
                bad("infinite min_net_gain", "economics: {cost: cost_usd, min_net_gain: .inf}\n",
                        "economics.min_net_gain", "got .inf"),
                // segments
                bad("duplicate segment", "segments: [workload, tier, workload]\n", "segments[2]",
                        "got \"workload\"", "listed twice"),
                bad("arm as a segment", "segments: [arm]\n", "segments[0]", "got \"arm\"", "cannot be a segment"),
                bad("segments as text", "segments: workload\n", "segments", "got \"workload\"", "expected a list"),
                bad("target_segment without segments", "decision: target_segment\n", "segments", "is missing",
                        "target_segment"),
                // rollback
                bad("negative rollback threshold", "rollback: {p99_latency_ms_above: -5}\n",
                        "rollback.p99_latency_ms_above", "got -5", "non-negative"),
                bad("rollback rate of 1", "rollback: {error_rate_above: 1}\n", "rollback.error_rate_above",
                        "got 1", "[0, 1)"),
                // alpha, seed and the rest
                bad("alpha 0", "alpha: 0\n", "alpha", "got 0;", "(0, 0.5]"),
                bad("alpha 0.6", "alpha: 0.6\n", "alpha", "got 0.6;", "(0, 0.5]"),
                bad("alpha abc", "alpha: abc\n", "alpha", "got \"abc\"", "expected a number"),
                bad("alpha NaN", "alpha: .nan\n", "alpha", "got .nan", "finite"),
                bad("alpha hexadecimal", "alpha: 0x1\n", "alpha", "got 0x1", "plain decimal"),
                bad("seed not whole", "seed: 1.5\n", "seed", "got 1.5", "whole number"),
                bad("seed too large", "seed: 99999999999999999999\n", "seed", "got 99999999999999999999",
                        "64-bit"),
                bad("blank contingency", "contingency: \"  \"\n", "contingency", "got \"  \"", "blank"),
                bad("unknown shared state", "shared_state: [caches]\n", "shared_state[0]", "got \"caches\"",
                        "did you mean 'cache'?"),
                bad("duplicate shared state", "shared_state: [cache, cache]\n", "shared_state[1]", "listed twice"),
                bad("data quality share of 1", "data_quality: {max_missing_share: 1}\n",
                        "data_quality.max_missing_share", "got 1", "[0, 1)"),
                bad("long_run observed not boolean", "long_run: {metric: retention_30d, observed: maybe}\n",
                        "long_run.observed", "got \"maybe\"", "true or false"),
                bad("long_run without metric", "long_run: {observed: true}\n", "long_run.metric", "is missing"))
                .map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void isRefusedWithOneLineNamingKeyAndValue(Case c) {
        InputException e = assertThrows(InputException.class, () -> SpecParser.parse(c.yaml(), SPEC));
        String m = e.getMessage();
        assertEquals(InputException.INVALID_SPEC, e.exitCode(), m);
        assertEquals(2, e.exitCode());
        assertFalse(m.contains("\n") || m.contains("\r"), "one line: " + m);
        assertTrue(m.startsWith("spec.yaml"), "names the file: " + m);
        if (c.key() != null) {
            assertTrue(m.contains("spec key '" + c.key() + "'"), "names the key '" + c.key() + "': " + m);
        }
        for (String s : c.contains()) {
            assertTrue(m.contains(s), "contains <" + s + ">: " + m);
        }
    }
}
