package dev.verdict.quasi.did;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * California Proposition 99 (39 states x 31 years, California treated from 1989) and the reference
 * numbers in {@code reference/did/reference-did.json}, a verbatim subset of the shared reference.json
 * (R 4.2.2, synthdid 0.0.9).
 */
final class Prop99 {
    private Prop99() {
    }

    /** The panel with the data's own treated indicator. */
    static Panel panel() {
        List<String[]> rows = new ArrayList<>();
        try (InputStream in = Prop99.class.getResourceAsStream("/reference/did/california_prop99.csv");
             BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String header = r.readLine();
            if (!header.equals("State,Year,PacksPerCapita,treated")) {
                throw new IllegalStateException("unexpected header " + header);
            }
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (!line.isBlank()) {
                    rows.add(line.split(","));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int n = rows.size();
        String[] unit = new String[n];
        long[] year = new long[n];
        double[] y = new double[n];
        boolean[] treated = new boolean[n];
        for (int i = 0; i < n; i++) {
            String[] f = rows.get(i);
            unit[i] = f[0];
            year[i] = Long.parseLong(f[1]);
            y[i] = Double.parseDouble(f[2]);
            treated[i] = f[3].equals("1");
        }
        return Panel.withIndicator(unit, year, y, treated, null);
    }

    /** A number from case {@code caseId}'s results. */
    static double reference(String caseId, String key) {
        try (InputStream in = Prop99.class.getResourceAsStream("/reference/did/reference-did.json")) {
            JsonNode root = new ObjectMapper().readTree(in);
            for (JsonNode c : root.get("cases")) {
                if (c.get("id").asText().equals(caseId)) {
                    return c.get("results").get(key).asDouble();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalArgumentException("no reference case " + caseId);
    }
}
