#include "support/boto3_reader.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "support/child_process.h"
#include "support/test_env.h"

namespace fraudgov::testing {

namespace {

// Exit 3 means botocore refused the body because it does not match S3's stored checksum.
constexpr const char* kScript = R"PY(
import os, sys
import boto3, botocore.exceptions
from botocore.config import Config
client = boto3.client(
    "s3", endpoint_url=os.environ["S3_ENDPOINT"], region_name="us-east-1",
    aws_access_key_id=os.environ["S3_KEY_ID"], aws_secret_access_key=os.environ["S3_SECRET"],
    config=Config(s3={"addressing_style": os.environ["S3_STYLE"]}, retries={"max_attempts": 1}))
try:
    response = client.get_object(Bucket=os.environ["S3_BUCKET"], Key=os.environ["S3_OBJECT"], ChecksumMode="ENABLED")
    body = response["Body"].read()
except botocore.exceptions.FlexibleChecksumError as e:
    print("checksum mismatch:", e)
    sys.exit(3)
with open(os.environ["OUT"], "wb") as out:
    out.write(body)
print(response.get("ChecksumSHA256", ""))
print(response.get("ContentType", ""))
)PY";

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The pyenv interpreter that has moto (and boto3); /usr/bin/python3 has no boto3.
std::string pythonPath() {
  const std::filesystem::path moto = motoServerPath();
  return moto.empty() ? "python3" : (moto.parent_path() / "python3").string();
}

}  // namespace

Boto3Object boto3GetObject(const std::string& endpoint, const AwsKey& key, const std::string& bucket,
                           const std::string& object_key, const std::string& addressing_style) {
  const std::string dir = makeTempDir("boto3");
  const std::string out = dir + "/body";
  ChildProcess python(pythonPath(), {"-c", kScript},
                      {{"HOME", dir},
                       {"AWS_CONFIG_FILE", "/dev/null"},
                       {"AWS_SHARED_CREDENTIALS_FILE", "/dev/null"},
                       {"AWS_EC2_METADATA_DISABLED", "true"},
                       {"S3_ENDPOINT", endpoint},
                       {"S3_KEY_ID", key.access_key_id},
                       {"S3_SECRET", key.secret_access_key},
                       {"S3_STYLE", addressing_style},
                       {"S3_BUCKET", bucket},
                       {"S3_OBJECT", object_key},
                       {"OUT", out}});
  Boto3Object result;
  result.exit_code = python.wait(std::chrono::seconds(60)).value_or(-1);
  result.diagnostics = python.stdoutText() + python.stderrText();
  result.checksum_mismatch = result.exit_code == 3;
  if (result.exit_code != 0) return result;
  std::istringstream lines(python.stdoutText());
  std::getline(lines, result.checksum_sha256);
  std::getline(lines, result.content_type);
  result.body = slurp(out);
  return result;
}

}  // namespace fraudgov::testing
