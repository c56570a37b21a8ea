package dev.unroll.io;

import java.io.IOException;

/** A file that is not a valid safetensors file, or not one Unroll can read; the message says why. */
public class SafeTensorsException extends IOException {
    private static final long serialVersionUID = 1L;

    public SafeTensorsException(String message) {
        super(message);
    }
}
