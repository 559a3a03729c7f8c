/* Reference for "convert one appendix": libxlsxwriter used directly from C to lay out the seed
 * appendix CSV as a formatted workbook (header block, merged two-row table header, borders,
 * Times New Roman, number formats, A4 landscape, repeated header rows). It does no validation,
 * no form matching and no number-locale handling: a floor for the cost of writing the file.
 * Build: cc -O2 -o convert_appendix convert_appendix.c $(pkg-config --cflags --libs xlsxwriter) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

/* Reads one RFC 4180 record into fields (quoted fields may hold commas and newlines). */
static int read_record(FILE *in, char fields[8][1024], int *count) {
    int c, f = 0, n = 0, quoted = 0, any = 0;
    fields[0][0] = 0;
    while ((c = fgetc(in)) != EOF) {
        any = 1;
        if (quoted) {
            if (c == '"') { int d = fgetc(in); if (d == '"') { if (n < 1023) fields[f][n++] = '"'; } else { quoted = 0; if (d != EOF) ungetc(d, in); } }
            else if (n < 1023) fields[f][n++] = (char)c;
        } else if (c == '"') quoted = 1;
        else if (c == ',') { fields[f][n] = 0; if (f < 7) f++; n = 0; fields[f][0] = 0; }
        else if (c == '\r') continue;
        else if (c == '\n') break;
        else if (n < 1023) fields[f][n++] = (char)c;
    }
    fields[f][n] = 0;
    *count = f + 1;
    return any;
}

int main(int argc, char **argv) {
    if (argc != 3) { fprintf(stderr, "usage: convert_appendix IN.csv OUT.xlsx\n"); return 64; }
    FILE *in = fopen(argv[1], "r");
    if (!in) { perror(argv[1]); return 66; }
    lxw_workbook *wb = workbook_new(argv[2]);
    lxw_worksheet *ws = workbook_add_worksheet(wb, "Phụ lục");
    lxw_format *title = workbook_add_format(wb);
    format_set_font_name(title, "Times New Roman"); format_set_bold(title); format_set_align(title, LXW_ALIGN_CENTER);
    lxw_format *head = workbook_add_format(wb);
    format_set_font_name(head, "Times New Roman"); format_set_bold(head); format_set_border(head, LXW_BORDER_THIN);
    format_set_align(head, LXW_ALIGN_CENTER); format_set_align(head, LXW_ALIGN_VERTICAL_CENTER); format_set_text_wrap(head);
    lxw_format *cell = workbook_add_format(wb);
    format_set_font_name(cell, "Times New Roman"); format_set_border(cell, LXW_BORDER_THIN); format_set_text_wrap(cell);
    lxw_format *num = workbook_add_format(wb);
    format_set_font_name(num, "Times New Roman"); format_set_border(num, LXW_BORDER_THIN); format_set_num_format(num, "#,##0");
    worksheet_set_column(ws, 0, 0, 7, NULL); worksheet_set_column(ws, 1, 1, 60, NULL);
    worksheet_set_column(ws, 2, 3, 14, NULL); worksheet_set_column(ws, 4, 4, 16, NULL);
    worksheet_set_landscape(ws); worksheet_set_paper(ws, 9); worksheet_fit_to_pages(ws, 1, 0);
    worksheet_merge_range(ws, 0, 0, 0, 1, "UBND TỈNH BẮC KẠN", title);
    worksheet_merge_range(ws, 0, 2, 0, 4, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", title);
    worksheet_merge_range(ws, 1, 0, 1, 1, "ỦY BAN NHÂN DÂN HUYỆN NGÂN SƠN", title);
    worksheet_merge_range(ws, 1, 2, 1, 4, "Độc lập - Tự do - Hạnh phúc", title);
    worksheet_merge_range(ws, 3, 0, 3, 4, "Phụ lục", title);
    worksheet_merge_range(ws, 5, 0, 6, 0, "STT", head);
    worksheet_merge_range(ws, 5, 1, 6, 1, "Chỉ tiêu thống kê", head);
    worksheet_merge_range(ws, 5, 2, 5, 3, "Kết quả thống kê", head);
    worksheet_merge_range(ws, 5, 4, 6, 4, "Ghi chú", head);
    worksheet_write_string(ws, 6, 2, "Đơn vị tính", head);
    worksheet_write_string(ws, 6, 3, "Số liệu", head);
    worksheet_repeat_rows(ws, 5, 6);
    worksheet_freeze_panes(ws, 7, 0);
    static char fields[8][1024];
    int count; lxw_row_t row = 7; int in_table = 0;
    while (read_record(in, fields, &count)) {
        if (!in_table) { if (strcmp(fields[0], "STT") == 0) in_table = 1; continue; }
        if (count < 4 || (fields[0][0] == 0 && fields[2][0] == 0 && strcmp(fields[3], "Số liệu") == 0) || strcmp(fields[0], "STT") == 0) continue;
        for (int c = 0; c < 5 && c < count; c++) {
            char *end; double v = strtod(fields[c], &end);
            if (c == 3 && fields[c][0] && *end == 0) worksheet_write_number(ws, row, c, v, num);
            else worksheet_write_string(ws, row, c, fields[c], cell);
        }
        row++;
    }
    fclose(in);
    return workbook_close(wb) == LXW_NO_ERROR ? 0 : 73;
}
