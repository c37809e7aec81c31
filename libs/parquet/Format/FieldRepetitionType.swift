/// Whether a schema node appears exactly once, at most once, or any number of times.
enum FieldRepetitionType: Int32, ThriftEnum {
    case required = 0
    case optional = 1
    case repeated = 2
}
