/// The Python program the tests use to read files back with pyarrow and DuckDB.
///
/// It is embedded rather than shipped as a `.py` file because SwiftPM warns about files it
/// does not know how to handle inside a target folder. Every value is printed in a canonical,
/// lossless JSON form (see `ReadBackValue`): integers and float bit patterns as strings,
/// bytes as hex, timestamps as microseconds since the epoch.
enum PythonReaderScript {
    static let source = #"""
import sys, json, math, struct, datetime

def fail(message, code=3):
    sys.stderr.write(message + "\n")
    sys.exit(code)

try:
    import pyarrow as pa
    import pyarrow.parquet as pq
    import pyarrow.compute as pc
except Exception as error:
    fail("pyarrow is not importable (%s: %s); install it with `pip install pyarrow duckdb`"
         % (type(error).__name__, error))

EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)

def canon(value):
    if value is None:
        return None
    if isinstance(value, bool):
        return {"bool": value}
    if isinstance(value, int):
        return {"int": str(value)}
    if isinstance(value, float):
        if math.isnan(value):
            return {"nan": True}
        return {"floatBits": str(struct.unpack("<Q", struct.pack("<d", value))[0])}
    if isinstance(value, str):
        return {"string": value}
    if isinstance(value, (bytes, bytearray, memoryview)):
        return {"bytes": bytes(value).hex()}
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=datetime.timezone.utc)
        return {"timestampMicros": str((value - EPOCH) // datetime.timedelta(microseconds=1))}
    if isinstance(value, list):
        return {"list": [canon(item) for item in value]}
    if isinstance(value, dict):
        return {"struct": {key: canon(item) for key, item in value.items()}}
    fail("cannot canonicalise a value of type %s" % type(value).__name__)

# --- An independent walk over the page headers (Thrift compact protocol) ---------------

def read_varint(data, at):
    result, shift = 0, 0
    while True:
        byte = data[at]; at += 1
        result |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return result, at

def unzigzag(n):
    return (n >> 1) ^ -(n & 1)

def read_value(data, at, kind):
    if kind == 1: return True, at
    if kind == 2: return False, at
    if kind == 3: return data[at], at + 1
    if kind in (4, 5, 6):
        raw, at = read_varint(data, at)
        return unzigzag(raw), at
    if kind == 7: return struct.unpack("<d", data[at:at + 8])[0], at + 8
    if kind == 8:
        length, at = read_varint(data, at)
        return bytes(data[at:at + length]), at + length
    if kind in (9, 10):
        header = data[at]; at += 1
        count, element = header >> 4, header & 0x0F
        if count == 15:
            count, at = read_varint(data, at)
        items = []
        for _ in range(count):
            item, at = read_value(data, at, 3 if element in (1, 2) else element)
            items.append(item)
        return items, at
    if kind == 12: return read_struct(data, at)
    fail("unsupported thrift type %d" % kind)

def read_struct(data, at):
    fields, last = {}, 0
    while True:
        header = data[at]; at += 1
        if header == 0:
            return fields, at
        kind, delta = header & 0x0F, header >> 4
        if delta == 0:
            raw, at = read_varint(data, at)
            field_id = unzigzag(raw)
        else:
            field_id = last + delta
        last = field_id
        fields[field_id], at = read_value(data, at, kind)

PAGE_TYPES = {0: "DATA_PAGE", 1: "INDEX_PAGE", 2: "DICTIONARY_PAGE", 3: "DATA_PAGE_V2"}
ENCODINGS = {0: "PLAIN", 2: "PLAIN_DICTIONARY", 3: "RLE", 4: "BIT_PACKED", 8: "RLE_DICTIONARY"}

def walk_pages(data, column):
    start = column.dictionary_page_offset if column.has_dictionary_page else column.data_page_offset
    end = start + column.total_compressed_size
    pages, at = [], start
    while at < end:
        header, body = read_struct(data, at)
        if header[3] < 0 or body + header[3] > end:
            fail("page at %d overruns its column chunk" % at)
        detail = header.get(5) or header.get(7) or {}
        pages.append({"type": PAGE_TYPES.get(header[1], str(header[1])),
                      "encoding": ENCODINGS.get(detail.get(2), str(detail.get(2))),
                      "numValues": detail.get(1, -1),
                      "compressedSize": header[3], "uncompressedSize": header[2]})
        at = body + header[3]
    if at != end:
        fail("column chunk pages end at %d, metadata says %d" % (at, end))
    return pages

# --- Modes ---------------------------------------------------------------------------------

def statistics_report(column):
    if not column.is_stats_set:
        return None
    stats = column.statistics
    return {"hasMinMax": stats.has_min_max,
            "nullCount": stats.null_count,
            "min": canon(stats.min) if stats.has_min_max else None,
            "max": canon(stats.max) if stats.has_min_max else None}

def report(path, with_rows):
    parquet_file = pq.ParquetFile(path)
    metadata = parquet_file.metadata
    data = open(path, "rb").read()
    schema = parquet_file.schema
    out = {
        "numRows": metadata.num_rows,
        "createdBy": metadata.created_by,
        "formatVersion": metadata.format_version,
        "keyValueMetadata": {k.decode(): v.decode() for k, v in (metadata.metadata or {}).items()},
        "arrowSchema": [{"name": f.name, "type": str(f.type), "nullable": f.nullable}
                        for f in parquet_file.schema_arrow],
        "leaves": [{"path": schema.column(i).path,
                    "physicalType": schema.column(i).physical_type,
                    "logicalType": str(schema.column(i).logical_type),
                    "convertedType": str(schema.column(i).converted_type),
                    "maxDefinitionLevel": schema.column(i).max_definition_level,
                    "maxRepetitionLevel": schema.column(i).max_repetition_level}
                   for i in range(len(schema))],
        "rowGroups": [],
    }
    for g in range(metadata.num_row_groups):
        group = metadata.row_group(g)
        columns = []
        for c in range(group.num_columns):
            column = group.column(c)
            columns.append({"path": column.path_in_schema,
                            "compression": column.compression,
                            "encodings": list(column.encodings),
                            "hasDictionaryPage": column.has_dictionary_page,
                            "numValues": column.num_values,
                            "statistics": statistics_report(column),
                            "pages": walk_pages(data, column)})
        out["rowGroups"].append({"numRows": group.num_rows, "totalByteSize": group.total_byte_size,
                                 "columns": columns})
    if with_rows:
        table = parquet_file.read()
        names = table.column_names
        out["rows"] = [[canon(row[name]) for name in names] for row in table.to_pylist()]
    return out

def aggregate(path, sum_column, indices):
    table = pq.read_table(path)
    return {"numRows": table.num_rows,
            "numRowGroups": pq.ParquetFile(path).metadata.num_row_groups,
            "sum": str(pc.sum(table[sum_column]).as_py()),
            "nullCounts": {name: table[name].null_count for name in table.column_names},
            "rows": {str(i): [canon(table[name][i].as_py()) for name in table.column_names] for i in indices}}

def duckdb_rows(path):
    try:
        import duckdb
    except Exception as error:
        fail("duckdb is not importable (%s: %s); install it with `pip install duckdb`" % (type(error).__name__, error))
    connection = duckdb.connect()
    connection.execute("SET threads TO 1")  # keeps rows in file order
    result = connection.execute("SELECT * FROM read_parquet('%s')" % path.replace("'", "''"))
    return {"columns": [d[0] for d in result.description],
            "types": [str(d[1]) for d in result.description],
            "rows": [[canon(value) for value in row] for row in result.fetchall()]}

mode, path = sys.argv[1], sys.argv[2]
if mode == "report":
    result = report(path, with_rows=True)
elif mode == "metadata":
    result = report(path, with_rows=False)
elif mode == "aggregate":
    result = aggregate(path, sys.argv[3], [int(i) for i in sys.argv[4].split(",")])
elif mode == "duckdb":
    result = duckdb_rows(path)
else:
    fail("unknown mode " + mode)
json.dump(result, sys.stdout)
"""#
}
