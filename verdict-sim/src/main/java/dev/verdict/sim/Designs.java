package dev.verdict.sim;

import dev.verdict.assign.ClusterDraw;
import dev.verdict.assign.SwitchbackSchedule;

/** The assignment a simulation uses for a design, for writing assignment tables and readouts outside the simulator. */
public final class Designs {
    private Designs() {
    }

    /** The switchback schedule of {@code design} in {@code scenario}. */
    public static SwitchbackSchedule switchbackSchedule(Scenario scenario, SimDesign.Switchback design) {
        return Assignment.schedule(scenario, design);
    }

    /** The saturation draw of a saturation design in {@code scenario}. */
    public static dev.verdict.assign.SaturationDesign saturation(Scenario scenario, SimDesign.Saturation design) {
        return Assignment.saturation(scenario, design);
    }

    /** The cluster draw of a cluster design in {@code scenario}. */
    public static ClusterDraw clusterDraw(Scenario scenario, double treatedShare) {
        return Assignment.clusterDraw(scenario, treatedShare).draw();
    }
}
