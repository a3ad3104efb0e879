/**
 * Actions that AWS authorizes only on `Resource: "*"` (the Service Authorization Reference lists
 * no resource type for them), and why the stack needs each.
 */
export const WILDCARD_ONLY: Readonly<Record<string, string>> = {
  "ssm:DescribeParameters": "reading a parameter's tier and description on refresh",
  "acm:RequestCertificate":
    "the certificate's ARN exists only once it is requested (only with the stack's tag)",
  "acm:ListCertificates": "finding a certificate by domain while it is validated",
  "logs:CreateLogDelivery": "API Gateway HTTP API access logs (vended log delivery)",
  "logs:GetLogDelivery": "API Gateway HTTP API access logs (vended log delivery)",
  "logs:UpdateLogDelivery": "API Gateway HTTP API access logs (vended log delivery)",
  "logs:DeleteLogDelivery": "API Gateway HTTP API access logs (vended log delivery)",
  "logs:ListLogDeliveries": "API Gateway HTTP API access logs (vended log delivery)",
  "logs:PutResourcePolicy": "API Gateway HTTP API access logs write to the log group through it",
  "logs:DescribeResourcePolicies": "API Gateway HTTP API access logs write to the log group through it",
  "cloudwatch:ListDashboards": "refreshing a dashboard lists dashboards by name prefix",
  "logs:DescribeLogGroups": "refreshing a log group lists log groups by name prefix",
};
