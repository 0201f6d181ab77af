import Parquet

/// An OCSF Detection Finding–like schema of 45 leaf columns: scalars, nested optional groups, a list of strings,
/// lists of structs (one holding a list), JSON text and the `secberus_compliance` list of structs.
enum BenchSchema {
    /// A string leaf.
    static func string(_ name: String, _ repetition: ParquetRepetition = .optional) -> ParquetField {
        .primitive(name: name, repetition: repetition, type: .byteArray, logical: .string)
    }

    /// An INT32 leaf.
    static func int32(_ name: String, _ repetition: ParquetRepetition = .optional) -> ParquetField {
        .primitive(name: name, repetition: repetition, type: .int32, logical: .none)
    }

    /// An INT64 timestamp leaf.
    static func timestamp(_ name: String, _ repetition: ParquetRepetition = .optional) -> ParquetField {
        .primitive(name: name, repetition: repetition, type: .int64, logical: .timestampMillis)
    }

    /// A DOUBLE leaf.
    static func double(_ name: String) -> ParquetField {
        .primitive(name: name, repetition: .optional, type: .double, logical: .none)
    }

    /// The top-level fields.
    static let fields: [ParquetField] = [
        timestamp("time", .required),
        int32("class_uid", .required), int32("category_uid"),
        .primitive(name: "type_uid", repetition: .optional, type: .int64, logical: .none),
        int32("activity_id"), int32("severity_id"), int32("status_id"),
        string("class_name"), string("category_name"), string("activity_name"), string("severity"), string("status"),
        string("message"),
        .group(name: "metadata", repetition: .required, fields: [
            string("version", .required), string("uid"),
            .group(name: "product", repetition: .optional, fields: [
                string("name"), string("vendor_name"), string("version"),
            ]),
            timestamp("logged_time"),
        ]),
        .group(name: "cloud", repetition: .optional, fields: [
            string("provider"), string("region"),
            .group(name: "account", repetition: .optional, fields: [string("uid"), string("name")]),
        ]),
        .group(name: "finding_info", repetition: .optional, fields: [
            string("uid", .required), string("title"), string("desc"),
            .list(name: "types", repetition: .optional, element: string("element")),
            timestamp("created_time"),
        ]),
        .list(name: "resources", repetition: .optional, element: .group(
            name: "element", repetition: .optional, fields: [
                string("uid"), string("type"), string("region"), string("name"),
                .list(name: "labels", repetition: .optional, element: string("element")),
            ])),
        .list(name: "observables", repetition: .optional, element: .group(
            name: "element", repetition: .optional, fields: [string("name"), int32("type_id"), string("value")])),
        .group(name: "src_endpoint", repetition: .optional, fields: [
            string("ip"), int32("port"), string("hostname"),
        ]),
        .primitive(name: "unmapped", repetition: .optional, type: .byteArray, logical: .json),
        .list(name: "secberus_compliance", repetition: .optional, element: .group(
            name: "element", repetition: .optional, fields: [
                string("framework_id"), string("control_id"), string("family"), double("similarity"),
                double("confidence"),
            ])),
    ]
}
