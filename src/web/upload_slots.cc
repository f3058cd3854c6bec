// Per-reader upload slots (upload_slots.h).
#include "web/upload_slots.h"

namespace booklib::web {

std::shared_ptr<UploadSlots> UploadSlots::Make(int per_user) {
  return std::shared_ptr<UploadSlots>(new UploadSlots(per_user));
}

std::shared_ptr<void> UploadSlots::TryTake(const std::string& user_id) {
  {
    const std::lock_guard lock(mutex_);
    int& used = in_use_[user_id];
    if (used >= per_user_) {
      if (used == 0) in_use_.erase(user_id);
      return nullptr;
    }
    ++used;
  }
  // The handle keeps these slots alive, so it may outlive the app that made it.
  auto self = shared_from_this();
  return {reinterpret_cast<void*>(1), [self, user_id](void*) { self->Give(user_id); }};
}

int UploadSlots::InUse(const std::string& user_id) const {
  const std::lock_guard lock(mutex_);
  const auto it = in_use_.find(user_id);
  return it == in_use_.end() ? 0 : it->second;
}

void UploadSlots::Give(const std::string& user_id) {
  const std::lock_guard lock(mutex_);
  const auto it = in_use_.find(user_id);
  if (it != in_use_.end() && --it->second <= 0) in_use_.erase(it);
}

}  // namespace booklib::web
