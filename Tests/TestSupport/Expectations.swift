import SheetGrid
import Support
import Testing

/// The `BieuMauError` `body` throws (what a user is told), nil when it throws nothing; any other
/// error is recorded as an issue.
public func refusal(_ body: () throws -> Void) -> BieuMauError? {
    do {
        try body()
        return nil
    } catch let e as BieuMauError {
        return e
    } catch {
        Issue.record("not a BieuMauError: \(error)")
        return nil
    }
}

/// The value of cell `ref` (`B2`) of a grid, `.empty` when there is none.
public func value(_ g: Grid, _ ref: String) -> CellValue {
    let (r, c) = CellReference.parse(ref)!
    return g.rows.first(where: { $0.index == r })?.value(at: c) ?? .empty
}

/// The cell `ref` (`B2`) of a grid, if it holds one.
public func cell(_ g: Grid, _ ref: String) -> Cell? {
    let (r, c) = CellReference.parse(ref)!
    return g.rows.first(where: { $0.index == r })?.cell(at: c)
}

/// The fields of a CSV text (RFC 4180: quoted fields may hold commas, quotes doubled, line breaks).
public func csvFields(_ csv: String) -> [String] {
    var fields: [String] = []
    var field = "", quoted = false, previousQuote = false
    for ch in csv {
        if quoted {
            if ch == "\"" { quoted = false; previousQuote = true } else { field.append(ch) }
            continue
        }
        switch ch {
        case "\"":
            if previousQuote { field.append("\"") }
            quoted = true
        case ",", "\n", "\r\n", "\r":
            fields.append(field)
            field = ""
        default: field.append(ch)
        }
        previousQuote = false
    }
    fields.append(field)
    return fields
}
