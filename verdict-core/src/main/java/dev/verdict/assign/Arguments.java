package dev.verdict.assign;

import java.util.Arrays;
import java.util.List;

/**
 * The one validation helper of the assignment package: each check is written so that NaN fails, and each
 * message says what was expected and what arrived.
 */
final class Arguments {
    /** How far the declared arm shares may sum from 1. */
    static final double SHARE_SUM_TOLERANCE = 1e-9;

    private Arguments() {
    }

    /** Arm shares: at least two, each finite and {@code >= 0}, summing to 1 within {@link #SHARE_SUM_TOLERANCE}. */
    static double[] shares(double[] shares) {
        if (shares == null || shares.length < 2) {
            throw new IllegalArgumentException("arm shares need at least 2 arms (control first, then treatments), got "
                    + (shares == null ? "null" : Arrays.toString(shares)));
        }
        double sum = 0;
        for (int i = 0; i < shares.length; i++) {
            double s = shares[i];
            if (!(s >= 0 && s < Double.POSITIVE_INFINITY)) {
                throw new IllegalArgumentException("arm share " + i + " must be finite and >= 0, got " + s
                        + " in " + Arrays.toString(shares));
            }
            sum += s;
        }
        if (!(Math.abs(sum - 1) <= SHARE_SUM_TOLERANCE)) {
            throw new IllegalArgumentException("arm shares must sum to 1 (within " + SHARE_SUM_TOLERANCE + "), got sum "
                    + sum + " for " + Arrays.toString(shares));
        }
        return shares;
    }

    /** A treated share strictly between 0 and 1. */
    static double treatedShare(double share) {
        if (!(share > 0 && share < 1)) {
            throw new IllegalArgumentException("treatedShare must be in (0, 1), got " + share);
        }
        return share;
    }

    /** A salt: not null, not empty. */
    static String salt(String what, String salt) {
        if (salt == null || salt.isEmpty()) {
            throw new IllegalArgumentException(what + " must be a non-empty string, got "
                    + (salt == null ? "null" : "\"\""));
        }
        return salt;
    }

    /** A list without null elements. */
    static <T> List<T> noNulls(String what, List<T> list) {
        if (list == null) {
            throw new IllegalArgumentException(what + " must not be null");
        }
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i) == null) {
                throw new IllegalArgumentException(what + " must not contain null, got null at index " + i);
            }
        }
        return list;
    }
}
