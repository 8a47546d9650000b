//! Export: the task definition as register-task-definition input or as a CloudFormation resource.
