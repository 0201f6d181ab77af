/// Encodes S3 object keys for the request path, the way S3 expects them on the wire and in the canonical URI.
///
/// Foundation's `.urlPathAllowed` leaves `+ = @ , ; $ & ' ( ) ! *` unescaped, and S3 reads a raw `+` in a path as a
/// space, so it cannot be used for keys.
/// See https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html.
public enum S3PathEncoder {
    /// Encodes an object key (or a bucket-and-key path) for use in the request path.
    ///
    /// Every byte of the UTF-8 form outside `A–Z a–z 0–9 - . _ ~` becomes `%XX` with upper-case hex, and `/` is
    /// kept, so `photos/a b+c.json` becomes `photos/a%20b%2Bc.json`. Consecutive slashes are kept as they are.
    ///
    /// - Parameter key: The object key as stored in S3.
    /// - Returns: The encoded key, without a leading `/` unless the key has one.
    public static func encode(key: String) -> String {
        URIEncoding.encode(key, keepingSlash: true)
    }
}
