//! The requests of the attribute operations: PutAttributes,
//! DeleteAttributes and ListAttributes.

use serde_json::Value;

use super::super::paging::PageRequest;
use super::super::request::{list, opt_str, req_str};
use super::super::AwsError;
use super::cluster;

/// One `Attribute` of PutAttributes or DeleteAttributes.
pub(crate) struct Attribute<'a> {
    pub name: &'a str,
    /// "" when omitted.
    pub value: &'a str,
    pub target_id: &'a str,
}

/// PutAttributes and DeleteAttributes: the attributes as given (the
/// answer repeats them) and read.
pub(crate) struct AttributesRequest<'a> {
    pub cluster: &'a str,
    pub given: &'a [Value],
    pub attributes: Vec<Attribute<'a>>,
}

impl<'a> AttributesRequest<'a> {
    /// `put`: PutAttributes, whose missing `targetId` has its own message.
    pub fn read(r: &'a Value, put: bool) -> Result<AttributesRequest<'a>, AwsError> {
        let given = list(r, "attributes")?;
        let attributes = given
            .iter()
            .map(|a| {
                let name = req_str(a, "name")?;
                let value = opt_str(a, "value")?.unwrap_or("");
                let target_id = match req_str(a, "targetId") {
                    Err(_) if put => Err(AwsError::invalid(
                        "targetId is required for container-instance attributes.",
                    )),
                    other => other,
                }?;
                opt_str(a, "targetType")?;
                Ok(Attribute {
                    name,
                    value,
                    target_id,
                })
            })
            .collect::<Result<Vec<_>, AwsError>>()?;
        Ok(AttributesRequest {
            cluster: cluster(r)?,
            given,
            attributes,
        })
    }
}

pub(crate) struct ListAttributesRequest<'a> {
    pub cluster: &'a str,
    pub target_type: &'a str,
    pub attribute_name: Option<&'a str>,
    pub attribute_value: Option<&'a str>,
    pub page: PageRequest<'a>,
}

impl<'a> ListAttributesRequest<'a> {
    pub fn read(r: &'a Value) -> Result<ListAttributesRequest<'a>, AwsError> {
        Ok(ListAttributesRequest {
            cluster: cluster(r)?,
            target_type: req_str(r, "targetType")?,
            attribute_name: opt_str(r, "attributeName")?,
            attribute_value: opt_str(r, "attributeValue")?,
            page: PageRequest::read(r)?,
        })
    }
}
