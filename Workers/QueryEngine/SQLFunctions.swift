/// The SQL functions a query may call: SQLite's core scalar, date, aggregate, window and math functions that
/// compute on what they are given. Left out are those that make data out of nothing or out of proportion
/// (`randomblob`, `zeroblob`, `printf`/`format` with a width), reach outside the query (`load_extension`,
/// `sqlite_*`), or only serve tooling (`json*`, `fts*`).
enum SQLFunctions {
    static let allowed: Set<String> = [
        // scalar
        "abs", "char", "coalesce", "concat", "concat_ws", "glob", "hex", "ifnull", "iif", "instr", "length", "like",
        "likelihood", "likely", "lower", "ltrim", "max", "min", "nullif", "octet_length", "quote", "replace", "round",
        "rtrim", "sign", "substr", "substring", "trim", "typeof", "unicode", "unlikely", "upper",
        // date and time
        "date", "time", "datetime", "julianday", "strftime", "unixepoch", "timediff",
        // aggregate
        "avg", "count", "group_concat", "string_agg", "sum", "total",
        // window
        "row_number", "rank", "dense_rank", "percent_rank", "cume_dist", "ntile", "lag", "lead", "first_value",
        "last_value", "nth_value",
        // math
        "acos", "acosh", "asin", "asinh", "atan", "atan2", "atanh", "ceil", "ceiling", "cos", "cosh", "degrees", "exp",
        "floor", "ln", "log", "log10", "log2", "mod", "pi", "pow", "power", "radians", "sin", "sinh", "sqrt", "tan",
        "tanh", "trunc",
    ]
}
