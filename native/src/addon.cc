// The JavaScript face of the helper: readTree and mgmt as promises, each one AsyncWorker on the
// libuv thread pool. Failures resolve with an errno number; native/index.ts turns them into
// errors, so the addon and the JavaScript fallback share one error path.
#include <napi.h>

#include <cstring>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "mgmt.h"
#include "tree.h"

namespace sanform {
namespace {

class TreeWorker : public Napi::AsyncWorker {
 public:
  TreeWorker(Napi::Env env, std::string root, SkipRules skip)
      : Napi::AsyncWorker(env), root_(std::move(root)), skip_(std::move(skip)), deferred_(Napi::Promise::Deferred::New(env)) {}

  Napi::Promise Promise() { return deferred_.Promise(); }

  void Execute() override {
    err_ = WalkTree(root_, skip_, tree_);
    // sysfs text is ASCII: then V8 takes the bytes as they are (no UTF-8 decoding on the main thread)
    ascii_ = true;
    for (unsigned char ch : tree_.text)
      if (ch >= 0x80) {
        ascii_ = false;
        break;
      }
  }

  void OnOK() override {
    Napi::Env env = Env();
    Napi::Object res = Napi::Object::New(env);
    res.Set("errno", Napi::Number::New(env, err_));
    if (ascii_) {
      napi_value text;
      NAPI_THROW_IF_FAILED_VOID(env, napi_create_string_latin1(env, tree_.text.data(), tree_.text.size(), &text));
      res.Set("text", Napi::Value(env, text));
    } else {
      res.Set("text", Napi::String::New(env, tree_.text.data(), tree_.text.size()));
    }
    Napi::Uint32Array meta = Napi::Uint32Array::New(env, tree_.meta.size());
    if (!tree_.meta.empty()) std::memcpy(meta.Data(), tree_.meta.data(), tree_.meta.size() * sizeof(uint32_t));
    res.Set("meta", meta);
    Napi::Array extras = Napi::Array::New(env, tree_.extras.size());
    for (size_t i = 0; i < tree_.extras.size(); i++)
      extras.Set(i, Napi::String::New(env, tree_.extras[i].data(), tree_.extras[i].size()));
    res.Set("extras", extras);
    // The walk's threads allocated in their own malloc arenas; glibc keeps freed arena memory
    // mapped, so each read of a large tree would leave tens of MiB resident. Free the packed
    // tree now (JavaScript has its copy) and hand the memory back.
    tree_ = PackedTree();
#ifdef __GLIBC__
    malloc_trim(0);
#endif
    deferred_.Resolve(res);
  }

  void OnError(const Napi::Error& e) override { deferred_.Reject(e.Value()); }

 private:
  std::string root_;
  SkipRules skip_;
  PackedTree tree_;
  int err_ = 0;
  bool ascii_ = true;
  Napi::Promise::Deferred deferred_;
};

class MgmtWorker : public Napi::AsyncWorker {
 public:
  MgmtWorker(Napi::Env env, MgmtRequest req)
      : Napi::AsyncWorker(env), req_(std::move(req)), deferred_(Napi::Promise::Deferred::New(env)) {}

  Napi::Promise Promise() { return deferred_.Promise(); }

  void Execute() override { res_ = RunMgmt(req_); }

  void OnOK() override {
    Napi::Env env = Env();
    Napi::Object res = Napi::Object::New(env);
    res.Set("errno", Napi::Number::New(env, res_.err));
    res.Set("stage", Napi::String::New(env, res_.stage));
    deferred_.Resolve(res);
  }

  void OnError(const Napi::Error& e) override { deferred_.Reject(e.Value()); }

 private:
  MgmtRequest req_;
  MgmtResult res_;
  Napi::Promise::Deferred deferred_;
};

/** Adds the strings of an optional array argument as skip patterns; false if it is not one. */
bool AddPatterns(const Napi::Value& v, SkipRules& rules, bool dir) {
  if (v.IsUndefined() || v.IsNull()) return true;
  if (!v.IsArray()) return false;
  Napi::Array a = v.As<Napi::Array>();
  for (uint32_t i = 0; i < a.Length(); i++) {
    Napi::Value p = a.Get(i);
    if (!p.IsString()) return false;
    AddSkipPattern(rules, p.As<Napi::String>().Utf8Value(), dir);
  }
  return true;
}

/** readTree(root, skipDirs?: string[], skipContent?: string[], noModes?: boolean) */
Napi::Value ReadTree(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  SkipRules skip;
  if (info.Length() < 1 || !info[0].IsString() || !AddPatterns(info[1], skip, true) ||
      !AddPatterns(info[2], skip, false) || !(info[3].IsUndefined() || info[3].IsBoolean())) {
    Napi::TypeError::New(env, "readTree(root: string, skipDirs?: string[], skipContent?: string[], noModes?: boolean)")
        .ThrowAsJavaScriptException();
    return env.Undefined();
  }
  skip.noModes = info[3].IsBoolean() && info[3].As<Napi::Boolean>().Value();
  auto* w = new TreeWorker(env, info[0].As<Napi::String>().Utf8Value(), std::move(skip));
  Napi::Promise p = w->Promise();
  w->Queue();
  return p;
}

/** mgmt(path, command: Buffer, resultFile, timeoutMs, pollMs) */
Napi::Value Mgmt(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 5 || !info[0].IsString() || !info[1].IsBuffer() || !info[2].IsString() ||
      !info[3].IsNumber() || !info[4].IsNumber()) {
    Napi::TypeError::New(env, "mgmt(path, command, resultFile, timeoutMs, pollMs)").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  Napi::Buffer<char> cmd = info[1].As<Napi::Buffer<char>>();
  MgmtRequest req{info[0].As<Napi::String>().Utf8Value(), std::string(cmd.Data(), cmd.Length()),
                  info[2].As<Napi::String>().Utf8Value(), info[3].As<Napi::Number>().Int64Value(),
                  info[4].As<Napi::Number>().Int64Value()};
  auto* w = new MgmtWorker(env, std::move(req));
  Napi::Promise p = w->Promise();
  w->Queue();
  return p;
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("readTree", Napi::Function::New(env, ReadTree));
  exports.Set("mgmt", Napi::Function::New(env, Mgmt));
  return exports;
}

}  // namespace
}  // namespace sanform

static Napi::Object InitModule(Napi::Env env, Napi::Object exports) { return sanform::Init(env, exports); }

NODE_API_MODULE(sanform_sysfs, InitModule)
