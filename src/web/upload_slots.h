// UploadSlots: how many large uploads each reader may send at once. A slot is taken when a large
// body is admitted (App::Admit) and given back when the transport drops the returned handle: after
// the request is answered, or when its connection dies halfway. So one account, even one whose
// session was stolen, cannot hold more than `per_user` photo bodies in memory at any moment.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace booklib::web {

class UploadSlots : public std::enable_shared_from_this<UploadSlots> {
 public:
  static std::shared_ptr<UploadSlots> Make(int per_user);

  // A slot of `user_id`, held while the handle lives; nullptr when all of theirs are in use.
  std::shared_ptr<void> TryTake(const std::string& user_id);

  int per_user() const { return per_user_; }
  // Slots of `user_id` in use now.
  int InUse(const std::string& user_id) const;

 private:
  explicit UploadSlots(int per_user) : per_user_(per_user) {}
  void Give(const std::string& user_id);

  const int per_user_;
  mutable std::mutex mutex_;
  std::map<std::string, int> in_use_;  // only users with a slot in use
};

}  // namespace booklib::web
