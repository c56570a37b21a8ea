package dev.unroll.data;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits one CSV line into fields, simply: fields are separated by one character; a field may be
 * wrapped in double quotes, inside which the separator is ordinary text and {@code ""} stands for one
 * quote; fields are trimmed of surrounding whitespace. Quoted fields spanning several lines are not
 * supported (a time series has no use for them).
 */
final class CsvFields {
    private CsvFields() {
    }

    /**
     * The fields of {@code line}.
     *
     * @throws IllegalArgumentException if a quoted field is not closed on this line
     */
    static List<String> split(String line, char separator) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean inQuotes = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (inQuotes) {
                if (c != '"') {
                    field.append(c);
                } else if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else {
                    inQuotes = false;
                }
            } else if (c == separator) {
                fields.add(field.toString().trim());
                field.setLength(0);
            } else if (c == '"' && field.toString().isBlank()) {
                // An opening quote, possibly after spaces; a quote inside unquoted text stays text.
                field.setLength(0);
                inQuotes = true;
            } else {
                field.append(c);
            }
        }
        if (inQuotes) {
            throw new IllegalArgumentException("a quoted field is not closed on this line");
        }
        fields.add(field.toString().trim());
        return fields;
    }
}
