import CNGHTTP2
import HTTPCore

extension HTTP2SessionState {
    /// The nghttp2 callbacks; each finds the state through the session's user data (see ``HTTP2SessionState``).
    enum Callbacks {
        /// Creates the callback table of a client session; the caller deletes it after creating the session.
        /// - Returns: The table, or `nil` when nghttp2 is out of memory.
        static func make() -> OpaquePointer? {
            var table: OpaquePointer?
            guard nghttp2_session_callbacks_new(&table) == 0, let table else { return nil }
            nghttp2_session_callbacks_set_on_begin_headers_callback(table, beginHeaders)
            nghttp2_session_callbacks_set_on_header_callback(table, header)
            nghttp2_session_callbacks_set_on_data_chunk_recv_callback(table, dataChunk)
            nghttp2_session_callbacks_set_on_frame_recv_callback(table, frameReceived)
            nghttp2_session_callbacks_set_on_frame_send_callback(table, frameSent)
            nghttp2_session_callbacks_set_on_frame_not_send_callback(table, frameNotSent)
            nghttp2_session_callbacks_set_on_stream_close_callback(table, streamClosed)
            return table
        }

        /// The request body source given to `nghttp2_submit_request`: copies the next bytes of the stream's body.
        static let readBody: nghttp2_data_source_read_callback = { _, streamID, buffer, length, flags, _, user in
            guard let state = user?.assumingMemoryBound(to: HTTP2SessionState.self),
                let stream = state.pointee.streams[streamID], let buffer
            else {
                return Int(NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE.rawValue)
            }
            let count = min(length, stream.requestBody.count - stream.sentBodyBytes)
            stream.requestBody.withUnsafeBytes { body in
                UnsafeMutableRawPointer(buffer).copyMemory(
                    from: body.baseAddress! + stream.sentBodyBytes,
                    byteCount: count
                )
            }
            state.pointee.streams[streamID]?.sentBodyBytes += count
            state.pointee.streams[streamID]?.lastProgress = .now
            if stream.sentBodyBytes + count == stream.requestBody.count {
                flags?.pointee |= NGHTTP2_DATA_FLAG_EOF.rawValue
            }
            return count
        }

        private static let beginHeaders: nghttp2_on_begin_headers_callback = { _, frame, user in
            guard let state = user?.assumingMemoryBound(to: HTTP2SessionState.self), let frame else { return 0 }
            let id = frame.pointee.hd.stream_id
            // A second block after the final status holds trailers, which are not kept.
            if let status = state.pointee.streams[id]?.status {
                state.pointee.streams[id]?.isSkippingBlock = status >= 200
            }
            return 0
        }

        private static let header: nghttp2_on_header_callback = {
            _, frame, name, nameLength, value, valueLength, _, user in
            guard let state = user?.assumingMemoryBound(to: HTTP2SessionState.self), let frame, let name, let value,
                var stream = state.pointee.streams[frame.pointee.hd.stream_id], stream.outcome == nil
            else {
                return 0
            }
            let id = frame.pointee.hd.stream_id
            stream.lastProgress = .now
            stream.headBytes += nameLength + valueLength + 32
            guard stream.headBytes <= state.pointee.maxHeadBytes else {
                state.pointee.cancel(
                    id,
                    HTTP2ClientError(.responseTooLarge, "response headers over \(state.pointee.maxHeadBytes) bytes")
                )
                return 0
            }
            let fieldName = String(decoding: UnsafeBufferPointer(start: name, count: nameLength), as: UTF8.self)
            let fieldValue = String(decoding: UnsafeBufferPointer(start: value, count: valueLength), as: UTF8.self)
            if fieldName == ":status" {
                guard let code = Int(fieldValue), (100...599).contains(code) else {
                    state.pointee.cancel(id, HTTP2ClientError(.protocolError, "the :status is not a number"))
                    return 0
                }
                // An interim (1xx) response is skipped; the final one starts afresh.
                stream.isSkippingBlock = code < 200
                if code >= 200 {
                    stream.status = code
                    stream.headers = HTTPHeaders()
                }
            } else if !stream.isSkippingBlock, !fieldName.hasPrefix(":") {
                stream.headers.add(name: fieldName, value: fieldValue)
            }
            state.pointee.streams[id] = stream
            return 0
        }

        private static let dataChunk: nghttp2_on_data_chunk_recv_callback = { _, _, streamID, data, length, user in
            guard let state = user?.assumingMemoryBound(to: HTTP2SessionState.self), let data,
                let stream = state.pointee.streams[streamID], stream.outcome == nil
            else {
                return 0
            }
            guard stream.body.count + length <= state.pointee.maxBodyBytes else {
                state.pointee.cancel(
                    streamID,
                    HTTP2ClientError(.responseTooLarge, "response body over \(state.pointee.maxBodyBytes) bytes")
                )
                return 0
            }
            state.pointee.streams[streamID]?.body.append(contentsOf: UnsafeBufferPointer(start: data, count: length))
            state.pointee.streams[streamID]?.lastProgress = .now
            return 0
        }

        private static let frameReceived: nghttp2_on_frame_recv_callback = { _, frame, user in
            guard let state = user?.assumingMemoryBound(to: HTTP2SessionState.self), let frame else { return 0 }
            let header = frame.pointee.hd
            switch UInt32(header.type) {
            case NGHTTP2_SETTINGS.rawValue where header.flags & UInt8(NGHTTP2_FLAG_ACK.rawValue) == 0:
                if !state.pointee.hasSettings {
                    state.pointee.hasSettings = true
                    state.pointee.announceReady = true
                }
            case NGHTTP2_GOAWAY.rawValue:
                state.pointee.isAccepting = false
                state.pointee.goAway = (frame.pointee.goaway.last_stream_id, frame.pointee.goaway.error_code)
            default:
                if header.stream_id != 0 { state.pointee.streams[header.stream_id]?.lastProgress = .now }
            }
            return 0
        }

        private static let frameSent: nghttp2_on_frame_send_callback = { _, frame, user in
            guard let state = user?.assumingMemoryBound(to: HTTP2SessionState.self), let frame else { return 0 }
            let id = frame.pointee.hd.stream_id
            guard id != 0, state.pointee.streams[id] != nil else { return 0 }
            if UInt32(frame.pointee.hd.type) == NGHTTP2_HEADERS.rawValue { state.pointee.streams[id]?.isSent = true }
            state.pointee.streams[id]?.lastProgress = .now
            return 0
        }

        private static let frameNotSent: nghttp2_on_frame_not_send_callback = { _, frame, _, user in
            guard let state = user?.assumingMemoryBound(to: HTTP2SessionState.self), let frame,
                UInt32(frame.pointee.hd.type) == NGHTTP2_HEADERS.rawValue
            else {
                return 0
            }
            state.pointee.finish(
                frame.pointee.hd.stream_id,
                .failure(HTTP2ClientError(.refused, "the request could not start: the connection is going away"))
            )
            return 0
        }

        private static let streamClosed: nghttp2_on_stream_close_callback = { _, streamID, errorCode, user in
            guard let state = user?.assumingMemoryBound(to: HTTP2SessionState.self),
                let stream = state.pointee.streams[streamID]
            else {
                return 0
            }
            state.pointee.idleSince = .now
            if errorCode == NGHTTP2_NO_ERROR.rawValue, let status = stream.status {
                let response = HTTPResponse(
                    status: HTTPStatus(code: status),
                    headers: stream.headers,
                    body: stream.body
                )
                state.pointee.finish(streamID, .success(response))
            } else if errorCode == NGHTTP2_NO_ERROR.rawValue {
                state.pointee.finish(
                    streamID,
                    .failure(HTTP2ClientError(.protocolError, "the stream ended without a response status"))
                )
            } else if errorCode == NGHTTP2_REFUSED_STREAM.rawValue {
                state.pointee.finish(
                    streamID,
                    .failure(HTTP2ClientError(.refused, "the server refused the stream (REFUSED_STREAM)"))
                )
            } else {
                let name = HTTP2ClientError.name(ofErrorCode: errorCode)
                state.pointee.finish(
                    streamID,
                    .failure(HTTP2ClientError(.streamReset, "the server reset the stream (\(name))"))
                )
            }
            return 0
        }
    }
}
