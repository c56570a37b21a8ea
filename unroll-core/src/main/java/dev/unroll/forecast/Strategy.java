package dev.unroll.forecast;

/** How a model forecasts H steps. */
public enum Strategy {
    /**
     * The model reads the window (and the horizon's known covariates) and outputs all H values per
     * target at once, from its final state.
     */
    DIRECT,
    /**
     * The model forecasts one step ahead; its forecast is fed back as the next input, H times (the
     * seed's §14 generation, on the carried state).
     */
    RECURSIVE;

    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static Strategy parse(String id) {
        for (Strategy s : values()) {
            if (s.id().equalsIgnoreCase(id.trim())) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown strategy '" + id + "'; expected direct or recursive");
    }
}
