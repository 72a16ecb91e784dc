//! A JS-free picture of a value a caller passed, so option checking lives in the core.

/// One option value as the caller gave it, converted by the JS face without judging it.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// `undefined` or `null`: the option is not set.
    Absent,
    /// A string.
    Str(String),
    /// A number (possibly `NaN` or infinite: the core decides).
    Num(f64),
    /// A boolean.
    Bool(bool),
    /// An array whose items are all strings.
    List(Vec<String>),
    /// A plain object whose values are all strings or numbers (as strings).
    Map(Vec<(String, String)>),
    /// Anything else, named by its JS type for the error message (`"function"`, `"object"`...).
    Other(&'static str),
}

impl Value {
    /// The name of this value's type, for messages like "timeoutMs must be a number, got string".
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Absent => "undefined",
            Value::Str(_) => "string",
            Value::Num(_) => "number",
            Value::Bool(_) => "boolean",
            Value::List(_) => "array",
            Value::Map(_) => "object",
            Value::Other(t) => t,
        }
    }
}
