//! The requests of the tag operations: TagResource, UntagResource and
//! ListTagsForResource.

use serde_json::Value;

use super::super::request::{list, req_str, str_list};
use super::super::AwsError;

pub(crate) struct TagResourceRequest<'a> {
    pub resource_arn: &'a str,
    pub tags: &'a [Value],
}

impl<'a> TagResourceRequest<'a> {
    pub fn read(r: &'a Value) -> Result<TagResourceRequest<'a>, AwsError> {
        Ok(TagResourceRequest {
            resource_arn: req_str(r, "resourceArn")?,
            tags: list(r, "tags")?,
        })
    }
}

pub(crate) struct UntagResourceRequest<'a> {
    pub resource_arn: &'a str,
    pub tag_keys: Vec<String>,
}

impl<'a> UntagResourceRequest<'a> {
    pub fn read(r: &'a Value) -> Result<UntagResourceRequest<'a>, AwsError> {
        Ok(UntagResourceRequest {
            resource_arn: req_str(r, "resourceArn")?,
            tag_keys: str_list(r, "tagKeys")?,
        })
    }
}

pub(crate) struct ListTagsForResourceRequest<'a> {
    pub resource_arn: &'a str,
}

impl<'a> ListTagsForResourceRequest<'a> {
    pub fn read(r: &'a Value) -> Result<ListTagsForResourceRequest<'a>, AwsError> {
        Ok(ListTagsForResourceRequest {
            resource_arn: req_str(r, "resourceArn")?,
        })
    }
}
