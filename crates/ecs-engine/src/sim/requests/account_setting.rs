//! The requests of the account-setting operations: PutAccountSetting,
//! PutAccountSettingDefault, ListAccountSettings and DeleteAccountSetting.

use serde_json::Value;

use super::super::paging::PageRequest;
use super::super::request::{opt_bool, opt_str, req_str};
use super::super::AwsError;

/// PutAccountSetting and PutAccountSettingDefault (which has no
/// `principalArn`), and DeleteAccountSetting (which has no `value`).
pub(crate) struct AccountSettingRequest<'a> {
    pub name: &'a str,
    pub value: Option<&'a str>,
    pub principal_arn: Option<&'a str>,
}

impl<'a> AccountSettingRequest<'a> {
    pub fn read(r: &'a Value) -> Result<AccountSettingRequest<'a>, AwsError> {
        Ok(AccountSettingRequest {
            name: req_str(r, "name")?,
            value: opt_str(r, "value")?,
            principal_arn: opt_str(r, "principalArn")?,
        })
    }
}

pub(crate) struct ListAccountSettingsRequest<'a> {
    pub name: Option<&'a str>,
    pub value: Option<&'a str>,
    pub principal_arn: Option<&'a str>,
    pub effective_settings: bool,
    pub page: PageRequest<'a>,
}

impl<'a> ListAccountSettingsRequest<'a> {
    pub fn read(r: &'a Value) -> Result<ListAccountSettingsRequest<'a>, AwsError> {
        Ok(ListAccountSettingsRequest {
            name: opt_str(r, "name")?,
            value: opt_str(r, "value")?,
            principal_arn: opt_str(r, "principalArn")?,
            effective_settings: opt_bool(r, "effectiveSettings")?.unwrap_or(false),
            page: PageRequest::read(r)?,
        })
    }
}
