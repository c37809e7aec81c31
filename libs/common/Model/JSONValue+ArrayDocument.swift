extension JSONValue.Reader {
    /// The elements of a document that is one JSON array, each read by `element`, or nil when
    /// the reader declines any part of it (the caller then decodes with JSONDecoder).
    static func arrayDocument<Element>(_ bytes: [UInt8], _ element: (inout Self) throws(JSONValue.ParseError) -> Element) -> [Element]? {
        bytes.withUnsafeBufferPointer { buffer -> [Element]? in
            var reader = Self(bytes: buffer)
            var elements: [Element] = []
            do {
                try reader.elements { (reader) throws(JSONValue.ParseError) in elements.append(try element(&reader)) }
                reader.skipWhitespace()
                guard reader.position == buffer.count else { return nil }
            } catch {
                return nil
            }
            return elements
        }
    }
}
