package dev.verdict.cli.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The "did you mean" suggestions. */
class ClosestNameTest {

    @Test
    void levenshteinDistanceOfTheClassicExamples() {
        // known truth: kitten -> sitting takes 3 edits (Levenshtein 1966; the textbook example)
        assertEquals(3, ClosestName.distance("kitten", "sitting"));
        // invariants: distance to oneself is 0, to the empty string is the length, and it is symmetric
        assertEquals(0, ClosestName.distance("guardrails", "guardrails"));
        assertEquals(8, ClosestName.distance("max_harm", ""));
        assertEquals(ClosestName.distance("flaw", "lawn"), ClosestName.distance("lawn", "flaw"));
        assertEquals(2, ClosestName.distance("flaw", "lawn"));
    }

    @Test
    void suggestsCloseNamesAndNothingForFarOnes() {
        List<String> top = SpecParser.TOP_KEYS;
        assertEquals(Optional.of("success"), ClosestName.among("sucess", top));
        assertEquals(Optional.of("guardrails"), ClosestName.among("guardrail", top));
        assertEquals(Optional.of("shared_state"), ClosestName.among("shared-state", top));
        assertEquals(Optional.of("alpha"), ClosestName.among("Alpha", top));
        assertEquals(Optional.of("allocation"), ClosestName.among("alloc", top));
        // positive control: a name unlike every key gets no suggestion
        assertEquals(Optional.empty(), ClosestName.among("zzzzzz", top));
        assertEquals(Optional.empty(), ClosestName.among("x", top));
    }
}
