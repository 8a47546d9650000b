//! STS `GetCallerIdentity` (awsQuery: a form-encoded body, an XML answer),
//! so Terraform's AWS provider can check its credentials against the
//! endpoint without skip flags. Any credentials are the account's one user.

use bytes::Bytes;
use http_body_util::Full;
use hyper::header::{HeaderValue, CONTENT_TYPE};
use hyper::{Response, StatusCode};

use crate::wire::form_value;

/// STS's answer; the caller's ARN is in the signed region's partition.
pub fn answer(body: &[u8], region: &str, account: &str, request_id: &str) -> Response<Full<Bytes>> {
    match form_value(body, "Action").as_deref() {
        Some("GetCallerIdentity") => xml(
            StatusCode::OK,
            format!(
                "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\
<GetCallerIdentityResult><Arn>{arn}</Arn>\
<UserId>AIDAPLAYGROUND0000000</UserId><Account>{account}</Account></GetCallerIdentityResult>\
<ResponseMetadata><RequestId>{request_id}</RequestId></ResponseMetadata></GetCallerIdentityResponse>",
                arn = ecs_engine::arn::iam_arn(region, account, "user/playground"),
            ),
        ),
        other => {
            let action = other.unwrap_or("(none)");
            let action: String = action
                .chars()
                .filter(|c| c.is_ascii_alphanumeric())
                .take(64)
                .collect();
            xml(
                StatusCode::BAD_REQUEST,
                format!(
                    "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error><Type>Sender</Type>\
<Code>InvalidAction</Code><Message>The playground answers only GetCallerIdentity of STS, not {action}.</Message></Error>\
<RequestId>{request_id}</RequestId></ErrorResponse>"
                ),
            )
        }
    }
}

fn xml(status: StatusCode, text: String) -> Response<Full<Bytes>> {
    let mut answer = Response::new(Full::new(Bytes::from(text)));
    *answer.status_mut() = status;
    answer
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("text/xml"));
    answer
}
