package dev.verdict.cli.readout;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.verdict.cli.spec.SpecParser;
import dev.verdict.spec.ExperimentSpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * readout.json's {@code spec} is the spec with its defaults resolved, in the spec's own key names: read back as a spec
 * (JSON is YAML) from the same folder, it is the same spec, for every shipped example and for the blocks no example
 * uses (saturation, strata with re-randomization on a pre-period). A key the echo forgets fails here.
 */
class SpecEchoTest {
    private static final Path EXAMPLES = Path.of("..", "examples").toAbsolutePath().normalize();

    @ParameterizedTest
    @ValueSource(strings = {"clean-win", "srm", "guardrail-regression", "mixed-segments", "cluster-rct", "switchback",
            "did-rollout", "synthetic-control", "propensity", "rdd", "did-rollout/spec-p90.yaml",
        "synthetic-control/spec-did.yaml"})
    void everyExampleSpecReadsBackFromItsEcho(String example) {
        Path file = EXAMPLES.resolve(example.contains("/") ? example : example + "/spec.yaml");
        ExperimentSpec spec = SpecParser.parse(file);
        assertEquals(spec, roundTrip(spec, file), example);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "saturation: {levels: [0, 0.5, 1], shares: [0.5, 0.25, 0.25]}\n",
            "strata: region\npre_period: true\nrerandomization: {covariates: [latency_ms], criterion: mahalanobis, "
                    + "threshold: 0.3}\n"})
    void blocksNoExampleUsesReadBackToo(String extra) throws Exception {
        Path file = EXAMPLES.resolve("cluster-rct").resolve("spec.yaml");
        ExperimentSpec spec = SpecParser.parse(Files.readString(file) + extra, file);
        assertEquals(spec, roundTrip(spec, file), extra);
    }

    private static ExperimentSpec roundTrip(ExperimentSpec spec, Path file) {
        ObjectNode echo = ReadoutJson.spec(spec);
        return SpecParser.parse(echo.toString(), file);
    }
}
