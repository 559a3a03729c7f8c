/* Reference for "write a 200,000 x 10 CSV to XLSX": libxlsxwriter used directly from C, in
 * constant-memory mode. Reads a simple CSV (no quoted newlines; numbers written as numbers).
 * Build: cc -O2 -o write_big write_big.c $(pkg-config --cflags --libs xlsxwriter) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

int main(int argc, char **argv) {
    if (argc != 3) { fprintf(stderr, "usage: write_big IN.csv OUT.xlsx\n"); return 64; }
    FILE *in = fopen(argv[1], "r");
    if (!in) { perror(argv[1]); return 66; }
    lxw_workbook_options options = {.constant_memory = LXW_TRUE, .tmpdir = NULL};
    lxw_workbook *wb = workbook_new_opt(argv[2], &options);
    lxw_worksheet *ws = workbook_add_worksheet(wb, NULL);
    char *line = NULL; size_t cap = 0; ssize_t len; lxw_row_t row = 0;
    while ((len = getline(&line, &cap, in)) > 0) {
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r')) line[--len] = 0;
        lxw_col_t col = 0; char *save = NULL;
        for (char *f = strtok_r(line, ",", &save); f; f = strtok_r(NULL, ",", &save), col++) {
            char *end; double v = strtod(f, &end);
            if (*f && *end == 0) worksheet_write_number(ws, row, col, v, NULL);
            else worksheet_write_string(ws, row, col, f, NULL);
        }
        row++;
    }
    free(line); fclose(in);
    return workbook_close(wb) == LXW_NO_ERROR ? 0 : 73;
}
