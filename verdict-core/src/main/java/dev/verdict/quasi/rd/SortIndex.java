package dev.verdict.quasi.rd;

/**
 * A stable sort of row indices by a double key, on primitive arrays (a boxed comparator sort of 10^6 indices costs
 * several times more). Written by hand because the JDK sorts primitive arrays only by their own values.
 */
final class SortIndex {
    private SortIndex() {
    }

    /** The given row indices reordered so that {@code key[rows[i]]} ascends; ties keep their order. */
    static int[] byValue(double[] key, int[] rows) {
        int n = rows.length;
        boolean sorted = true;
        for (int i = 1; i < n && sorted; i++) {
            sorted = key[rows[i - 1]] <= key[rows[i]];
        }
        if (sorted) {
            return rows;
        }
        int[] a = rows.clone();
        int[] b = new int[n];
        for (int width = 1; width < n; width *= 2) {
            for (int lo = 0; lo < n; lo += 2 * width) {
                int mid = Math.min(lo + width, n);
                int hi = Math.min(lo + 2 * width, n);
                int i = lo;
                int j = mid;
                int k = lo;
                if (mid >= hi || key[a[mid - 1]] <= key[a[mid]]) {
                    System.arraycopy(a, lo, b, lo, hi - lo);
                    continue;
                }
                while (i < mid && j < hi) {
                    b[k++] = key[a[j]] < key[a[i]] ? a[j++] : a[i++];
                }
                while (i < mid) {
                    b[k++] = a[i++];
                }
                while (j < hi) {
                    b[k++] = a[j++];
                }
            }
            int[] s = a;
            a = b;
            b = s;
        }
        return a;
    }
}
