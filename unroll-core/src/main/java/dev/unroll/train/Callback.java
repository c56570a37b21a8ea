package dev.unroll.train;

import java.util.List;

/** Called after each epoch (or reporting period); may stop training. */
@FunctionalInterface
public interface Callback {

    /**
     * @param latest  the period just finished
     * @param history every period of this {@code fit} call so far, {@code latest} last
     * @return true to stop training
     */
    boolean afterProgress(Progress latest, List<Progress> history);
}
