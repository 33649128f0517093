package dev.verdict.sim;

/** A user's conversation: its turns are drawn when it starts, so every world sees the same demand. */
final class Session {
    long id;
    int tenant;
    long user;
    int tier;
    int workload;
    int model;
    int region;
    int cluster;
    int[] newPrompt;
    int[] output;
    double[] think;
    int history;
}
